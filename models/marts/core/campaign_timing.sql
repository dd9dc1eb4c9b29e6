{#-
    The clock of metrics.md for each campaign at as_of: the post-mortem is
    due 14 days after end_date, the follow-up 90 days after it, and the
    stage says which figures are final.
    Grain: one row per campaign.
-#}

with

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

due_dates as (

    select
        campaign_id,
        end_date,
        {{ as_of_date() }} as as_of,
        cast({{ dbt.dateadd('day', 14, 'end_date') }} as date)
            as postmortem_due,
        cast({{ dbt.dateadd('day', 90, 'end_date') }} as date)
            as followup_due

    from campaigns

),

final as (

    select
        campaign_id,
        as_of,
        postmortem_due,
        followup_due,
        cast(as_of - end_date as integer) as days_since_end,
        case
            when as_of < end_date then 'running'
            when as_of < postmortem_due then 'immature'
            when as_of < followup_due then 'postmortem'
            else 'followup'
        end as stage  -- noqa: RF04

    from due_dates

)

select * from final
