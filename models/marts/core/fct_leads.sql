{#-
    Attributed leads with their opportunities (metrics.md, Leads and
    conversions). Grain: one row per attributed lead and window of var
    attribution_windows. conversions, revenue and pipeline count the lead's
    opportunities at as_of; is_code_tracked is set for the longest window
    only (null for the others).
-#}

{%- set longest_window = var('attribution_windows') | max %}

with

attributed_leads as (

    select * from {{ ref('int_leads__attributed') }}

),

conversions as (

    select * from {{ ref('int_conversions__attributed') }}

),

codes as (

    select
        campaign_id,
        recipient_id,
        first_qualifying_event_at

    from {{ ref('fct_codes') }}

    where is_activated

),

opportunity_totals as (

    select
        lead_id,
        window_days,
        count(*) filter (where is_conversion) as conversions,
        sum(coalesce(amount, 0)) filter (where is_conversion) as revenue,
        sum(coalesce(amount, 0)) as pipeline

    from conversions

    group by 1, 2

),

code_tracked_leads as (

    select distinct attributed_leads.lead_id

    from attributed_leads

    inner join codes
        on
            attributed_leads.campaign_id = codes.campaign_id
            and attributed_leads.recipient_id = codes.recipient_id

    where
        attributed_leads.window_days = {{ longest_window }}
        and codes.first_qualifying_event_at < attributed_leads.created_at

),

final as (

    select
        attributed_leads.lead_id,
        attributed_leads.window_days,
        attributed_leads.campaign_id,
        attributed_leads.recipient_id,
        attributed_leads.delivered_at,
        attributed_leads.created_at,
        attributed_leads.is_qualified,
        case
            when attributed_leads.window_days = {{ longest_window }}
                then code_tracked_leads.lead_id is not null
        end as is_code_tracked,
        cast(coalesce(opportunity_totals.conversions, 0) as bigint)
            as conversions,
        cast(
            coalesce(opportunity_totals.revenue, 0) as {{ decimal_type() }}
        ) as revenue,
        cast(
            coalesce(opportunity_totals.pipeline, 0) as {{ decimal_type() }}
        ) as pipeline

    from attributed_leads

    left join opportunity_totals
        on
            attributed_leads.lead_id = opportunity_totals.lead_id
            and attributed_leads.window_days = opportunity_totals.window_days

    left join code_tracked_leads
        on attributed_leads.lead_id = code_tracked_leads.lead_id

)

select * from final
