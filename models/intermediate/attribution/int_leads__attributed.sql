{#-
    Attributed leads (metrics.md, Leads and conversions): for each window W
    of var attribution_windows, among a lead's owners that are delivered
    recipients with delivered_at <= created_at <= delivered_at + W days
    (exact timestamps), the one with the latest delivered_at takes the lead
    (ties: the smallest recipient_id), and so does that recipient's campaign.
    A lead created before delivery is not attributed.
    Grain: one row per attributed lead and window.
-#}

with

owners as (

    select * from {{ ref('int_lead_owners') }}

),

delivered_recipients as (

    select
        recipient_id,
        delivered_at

    from {{ ref('int_recipients__delivered') }}

    where is_delivered_recipient

),

windows as (

    {% for window_days in var('attribution_windows') %}
        select {{ window_days }} as window_days
        {% if not loop.last %}

            union all

        {% endif %}
    {% endfor %}

),

candidates as (

    select
        owners.lead_id,
        windows.window_days,
        owners.campaign_id,
        owners.recipient_id,
        delivered_recipients.delivered_at,
        owners.created_at,
        owners.is_qualified

    from owners

    inner join delivered_recipients
        on owners.recipient_id = delivered_recipients.recipient_id

    inner join windows
        on
            owners.created_at >= delivered_recipients.delivered_at
            and owners.created_at <= {{ dbt.dateadd(
                'day',
                'windows.window_days',
                'delivered_recipients.delivered_at'
            ) }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by lead_id, window_days
            order by delivered_at desc, recipient_id asc
        ) as owner_rank

    from candidates

),

final as (

    select
        lead_id,
        window_days,
        campaign_id,
        recipient_id,
        delivered_at,
        created_at,
        is_qualified

    from ranked

    where owner_rank = 1

)

select * from final
