{#-
    The campaigns that passed the row checks. Grain: one row per campaign.
-#}

with

campaigns as (

    select * from {{ ref('int_campaigns__checked') }}

    where is_kept

),

final as (

    select
        campaign_id,
        campaign_name,
        currency,
        start_date,
        end_date,
        budget

    from campaigns

)

select * from final
