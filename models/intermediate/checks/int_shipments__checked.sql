{#-
    `shipments` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows and the campaign of its recipient
    (campaign_id → campaigns, recipient_id → recipients, sku → skus).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

shipments as (

    select * from {{ ref('stg_fulfillment__shipments') }}

),

kept_campaigns as (

    select campaign_id from {{ ref('int_campaigns__checked') }}
    where is_kept

),

kept_recipients as (

    select
        recipient_id,
        campaign_id
    from {{ ref('int_recipients__checked') }}
    where is_kept

),

kept_skus as (

    select sku from {{ ref('int_skus__checked') }}
    where is_kept

),

checked as (

    select
        shipments.*,
        coalesce(
            shipments.breach_reason || ':'
            || coalesce(shipments.breach_detail, ''),
            case
                when kept_campaigns.campaign_id is null
                    then 'unknown_campaign:campaign_id'
                when kept_recipients.recipient_id is null
                    then 'unknown_recipient:recipient_id'
                when kept_skus.sku is null
                    then 'unknown_sku:sku'
                when shipments.campaign_id <> kept_recipients.campaign_id
                    then 'campaign_mismatch:campaign_id'
            end
        ) as breach

    from shipments

    left join kept_campaigns
        on shipments.campaign_id = kept_campaigns.campaign_id

    left join kept_recipients
        on shipments.recipient_id = kept_recipients.recipient_id

    left join kept_skus
        on shipments.sku = kept_skus.sku

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
