{#-
    Every kept recipient with what reached them by as_of (metrics.md,
    Distribution and Incrementality): a delivered recipient is a non-holdout
    recipient with at least one delivered shipment, and their delivery time
    is their earliest delivered_at; a sent recipient is a non-holdout
    recipient with a live shipment.
    Grain: one row per recipient.
-#}

with

recipients as (

    select * from {{ ref('int_recipients__checked') }}

    where is_kept

),

shipments as (

    select * from {{ ref('int_shipments__as_of') }}

),

per_recipient as (

    select
        recipient_id,
        min(delivered_at) filter (where is_delivered) as first_delivered_at,
        count(*) filter (where is_live) > 0 as has_live_shipment

    from shipments

    group by 1

),

final as (

    select
        recipients.recipient_id,
        recipients.campaign_id,
        recipients.email_hash,
        recipients.segment,
        recipients.variant,
        recipients.is_holdout,
        case
            when not recipients.is_holdout
                then per_recipient.first_delivered_at
        end as delivered_at,
        not recipients.is_holdout
        and per_recipient.first_delivered_at is not null
            as is_delivered_recipient,
        not recipients.is_holdout
        and coalesce(per_recipient.has_live_shipment, false)
            as is_sent_recipient

    from recipients

    left join per_recipient
        on recipients.recipient_id = per_recipient.recipient_id

)

select * from final
