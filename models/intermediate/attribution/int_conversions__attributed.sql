{#-
    The opportunities of attributed leads (metrics.md, Leads and
    conversions), per window. Grain: one row per kept opportunity whose
    created_at counts at as_of, of a lead attributed within the window, and
    window. A closed_at after as_of is taken as not yet happened (null); the
    stage is taken as written. A conversion within W: a `won` opportunity
    whose closed_at is no later than the attributed recipient's delivery
    time + W days.
-#}

with

opportunities as (

    select
        opportunity_id,
        lead_id,
        stage,
        amount,
        {{ as_of_or_null('closed_at') }} as closed_at

    from {{ ref('int_opportunities__checked') }}

    where
        is_kept
        and cast(created_at as date) <= {{ as_of_date() }}

),

attributed_leads as (

    select * from {{ ref('int_leads__attributed') }}

),

final as (

    select
        opportunities.opportunity_id,
        attributed_leads.lead_id,
        attributed_leads.window_days,
        attributed_leads.campaign_id,
        attributed_leads.recipient_id,
        opportunities.stage,
        opportunities.amount,
        opportunities.closed_at,
        coalesce(
            opportunities.stage = 'won'
            and opportunities.closed_at <= {{ dbt.dateadd(
                'day',
                'attributed_leads.window_days',
                'attributed_leads.delivered_at'
            ) }},
            false
        ) as is_conversion

    from opportunities

    inner join attributed_leads
        on opportunities.lead_id = attributed_leads.lead_id

)

select * from final
