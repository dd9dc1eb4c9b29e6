{#-
    Staging of the raw `shipments` table.
    Fulfillment: one row per shipment, or hand-over at an event, of one SKU to
    one recipient.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Values typed; `breach_reason` holds the
    first row check the row fails (rules 2 to 4 of the contract), null when
    it passes.
-#}

with

source as (

    select * from {{ source('fulfillment', 'shipments') }}

),

merged as (

    {{ merge_exact_duplicates('source', 'shipments') }}

),

checked as (

    select
        *,
        {{ first_row_breach('shipments') }} as breach

    from merged

),

typed as (

    select
        -- ids
        shipment_id,
        campaign_id,
        recipient_id,
        sku,
        supplier,

        -- text
        channel,
        carrier,
        status,

        -- numbers
        {{ to_integer('quantity') }} as quantity,
        {{ to_decimal('shipping_cost') }} as shipping_cost,
        {{ to_decimal('handling_cost') }} as handling_cost,

        -- timestamps
        {{ to_timestamp_utc('ordered_at') }} as ordered_at,
        {{ to_timestamp_utc('shipped_at') }} as shipped_at,
        {{ to_timestamp_utc('delivered_at') }} as delivered_at,

        -- row checks
        shipment_id as row_key,
        merged_copies,
        breach

    from checked

),

time_checked as (

    select
        *,
        coalesce(
            breach,
            case
                when shipped_at < ordered_at
                    then 'shipped_before_ordered:shipped_at'
                when delivered_at < shipped_at
                    then 'delivered_before_shipped:delivered_at'
                when delivered_at is not null and shipped_at is null
                    then 'delivered_without_shipped:delivered_at'
                when status = 'cancelled' and delivered_at is not null
                    then 'cancelled_with_delivery:delivered_at'
            end
        ) as first_breach

    from typed

),

final as (

    select
        shipment_id,
        campaign_id,
        recipient_id,
        sku,
        supplier,
        channel,
        carrier,
        status,
        quantity,
        shipping_cost,
        handling_cost,
        ordered_at,
        shipped_at,
        delivered_at,
        row_key,
        merged_copies,
        {{ breach_reason('first_breach') }} as breach_reason,
        {{ breach_detail('first_breach') }} as breach_detail

    from time_checked

)

select * from final
