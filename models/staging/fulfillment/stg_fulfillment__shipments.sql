{#-
    Staging of the raw `shipments` table.
    Fulfillment: one row per shipment, or hand-over at an event, of one SKU to
    one recipient.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('fulfillment', 'shipments'), 'shipments') }}

),

checked as (

    select
        *,
        {{ first_row_breach('shipments') }} as breach

    from merged

),

time_checked as (

    select
        *,
        coalesce(
            breach,
            case
                when shipped_at__typed < ordered_at__typed
                    then 'shipped_before_ordered:shipped_at'
                when delivered_at__typed < shipped_at__typed
                    then 'delivered_before_shipped:delivered_at'
                when
                    delivered_at__typed is not null
                    and shipped_at__typed is null
                    then 'delivered_without_shipped:delivered_at'
                when status = 'cancelled' and delivered_at__typed is not null
                    then 'cancelled_with_delivery:delivered_at'
            end
        ) as first_breach

    from checked

),

final as (

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
        quantity__typed as quantity,
        shipping_cost__typed as shipping_cost,
        handling_cost__typed as handling_cost,

        -- timestamps
        ordered_at__typed as ordered_at,
        shipped_at__typed as shipped_at,
        delivered_at__typed as delivered_at,

        -- row checks
        shipment_id as row_key,
        merged_copies,
        {{ breach_reason('first_breach') }} as breach_reason,
        {{ breach_detail('first_breach') }} as breach_detail

    from time_checked

)

select * from final
