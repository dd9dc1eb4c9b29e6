{#-
    `forecast` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows
    (campaign_id → campaigns, sku → skus).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

forecast as (

    select * from {{ ref('stg_planning__forecast') }}

),

kept_campaigns as (

    select campaign_id from {{ ref('int_campaigns__checked') }}
    where is_kept

),

kept_skus as (

    select sku from {{ ref('int_skus__checked') }}
    where is_kept

),

checked as (

    select
        forecast.*,
        coalesce(
            forecast.breach_reason || ':'
            || coalesce(forecast.breach_detail, ''),
            case
                when kept_campaigns.campaign_id is null
                    then 'unknown_campaign:campaign_id'
                when kept_skus.sku is null
                    then 'unknown_sku:sku'
            end
        ) as breach

    from forecast

    left join kept_campaigns
        on forecast.campaign_id = kept_campaigns.campaign_id

    left join kept_skus
        on forecast.sku = kept_skus.sku

),

final as (

    select
        *,
        {{ breach_reason('breach') }} as set_aside_reason,
        {{ breach_detail('breach') }} as set_aside_detail,
        breach is null as is_kept

    from checked

)

select * from final
