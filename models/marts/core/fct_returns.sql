{#-
    Returns reported on or before as_of, with the campaign, SKU and channel
    of the shipment they return.
    Grain: one row per kept return whose reported_at counts at as_of.
-#}

with

returns as (

    select * from {{ ref('int_returns__checked') }}

    where is_kept

),

shipments as (

    select
        shipment_id,
        campaign_id,
        sku,
        channel,
        supplier
    from {{ ref('int_shipments__checked') }}

    where is_kept

),

final as (

    select
        returns.return_id,
        returns.shipment_id,
        shipments.campaign_id,
        shipments.sku,
        shipments.channel,
        shipments.supplier,
        returns.reason,
        returns.quantity,
        coalesce(returns.handling_cost, 0) as handling_cost,
        returns.reported_at

    from returns

    inner join shipments
        on returns.shipment_id = shipments.shipment_id

    where cast(returns.reported_at as date) <= {{ as_of_date() }}

)

select * from final
