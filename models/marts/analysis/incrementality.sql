{#-
    The holdout comparison (metrics.md, Incrementality), per campaign and
    window W of var attribution_windows. Sent recipients: non-holdout
    recipients with a live shipment; holdout recipients: those with
    is_holdout. A group's lead rate is the share of its recipients who own
    at least one lead (every owner counts, no attribution) created on a UTC
    date from start_date to end_date + W days, inclusive, and counting at
    as_of. Rates are null when the group is empty or the leads table is
    absent; lift and incremental_leads are null when either rate is.
    ci_low and ci_high: the Newcombe (hybrid Wilson score) 95% interval of
    the lift, null when the lift is. The incremental CPL is left to the KPI
    model. Grain: one row per campaign and window.
-#}

with

campaigns as (

    select
        campaign_id,
        start_date,
        end_date

    from {{ ref('dim_campaigns') }}

),

recipients as (

    select
        recipient_id,
        campaign_id,
        is_sent_recipient,
        is_holdout

    from {{ ref('int_recipients__delivered') }}

),

lead_owners as (

    select
        recipient_id,
        created_at

    from {{ ref('int_lead_owners') }}

),

raw_table_inventory as (

    select is_present

    from {{ ref('stg_raw_input__raw_table_inventory') }}

    where table_name = 'leads'

),

leads_table as (

    select count(*) filter (where is_present) > 0 as is_leads_present

    from raw_table_inventory

),

windows as (

    {% for window_days in var('attribution_windows') %}
        select {{ window_days }} as window_days
        {% if not loop.last %}

            union all

        {% endif %}
    {% endfor %}

),

campaign_windows as (

    select
        campaigns.campaign_id,
        windows.window_days,
        campaigns.start_date,
        campaigns.end_date + windows.window_days as last_lead_date

    from campaigns

    cross join windows

),

recipients_with_lead as (

    select distinct
        recipients.recipient_id,
        campaign_windows.window_days

    from recipients

    inner join campaign_windows
        on recipients.campaign_id = campaign_windows.campaign_id

    inner join lead_owners
        on recipients.recipient_id = lead_owners.recipient_id

    where
        cast(lead_owners.created_at as date) >= campaign_windows.start_date
        and cast(lead_owners.created_at as date)
        <= campaign_windows.last_lead_date

),

recipient_windows as (

    select
        campaign_windows.campaign_id,
        campaign_windows.window_days,
        recipients.recipient_id,
        recipients.is_sent_recipient,
        recipients.is_holdout,
        recipients_with_lead.recipient_id is not null as has_lead

    from campaign_windows

    left join recipients
        on campaign_windows.campaign_id = recipients.campaign_id

    left join recipients_with_lead
        on
            recipients.recipient_id = recipients_with_lead.recipient_id
            and campaign_windows.window_days = recipients_with_lead.window_days

),

group_counts as (

    select
        campaign_id,
        window_days,
        count(*) filter (where is_sent_recipient) as sent_n,
        count(*) filter (where is_sent_recipient and has_lead)
            as sent_with_lead_n,
        count(*) filter (where is_holdout) as holdout_n,
        count(*) filter (where is_holdout and has_lead)
            as holdout_with_lead_n

    from recipient_windows

    group by 1, 2

),

rates as (

    select
        group_counts.campaign_id,
        group_counts.window_days,
        leads_table.is_leads_present,
        group_counts.sent_with_lead_n,
        group_counts.holdout_with_lead_n,
        cast(group_counts.sent_n as bigint) as sent_n,
        case
            when leads_table.is_leads_present
                then {{ safe_ratio(
                    'group_counts.sent_with_lead_n', 'group_counts.sent_n'
                ) }}
        end as sent_rate,
        cast(group_counts.holdout_n as bigint) as holdout_n,
        case
            when leads_table.is_leads_present
                then {{ safe_ratio(
                    'group_counts.holdout_with_lead_n',
                    'group_counts.holdout_n'
                ) }}
        end as holdout_rate

    from group_counts

    cross join leads_table

),

final as (

    select
        campaign_id,
        window_days,
        sent_n,
        sent_rate,
        holdout_n,
        holdout_rate,
        sent_rate - holdout_rate as lift,
        (sent_rate - holdout_rate) * sent_n as incremental_leads,
        case
            when is_leads_present
                then {{ newcombe_low(
                    'sent_with_lead_n', 'sent_n',
                    'holdout_with_lead_n', 'holdout_n'
                ) }}
        end as ci_low,
        case
            when is_leads_present
                then {{ newcombe_high(
                    'sent_with_lead_n', 'sent_n',
                    'holdout_with_lead_n', 'holdout_n'
                ) }}
        end as ci_high

    from rates

)

select * from final
