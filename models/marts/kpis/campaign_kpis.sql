{#-
    The headline figures of each campaign, named as in metrics.md.
    Grain: one row per campaign. Implements Distribution (units_shipped,
    units_delivered, delivery_rate) and Costs (item_cost, logistics_cost,
    total_cost, logistics_cost_per_unit). A ratio with a zero denominator is
    null: not available, never zero.
-#}

with

campaigns as (

    select campaign_id from {{ ref('dim_campaigns') }}

),

shipments as (

    select * from {{ ref('int_shipments__as_of') }}

),

returns as (

    select * from {{ ref('fct_returns') }}

),

shipment_totals as (

    select
        campaign_id,
        sum(units_shipped) as units_shipped,
        sum(units_delivered) as units_delivered,
        sum(item_cost) as item_cost,
        sum(logistics_cost) as shipment_logistics_cost

    from shipments

    group by 1

),

return_totals as (

    select
        campaign_id,
        sum(handling_cost) as return_handling_cost

    from returns

    group by 1

),

totals as (

    select
        campaigns.campaign_id,
        cast(coalesce(shipment_totals.units_shipped, 0) as bigint)
            as units_shipped,
        cast(coalesce(shipment_totals.units_delivered, 0) as bigint)
            as units_delivered,
        cast(coalesce(shipment_totals.item_cost, 0) as {{ decimal_type() }})
            as item_cost,
        cast(
            coalesce(shipment_totals.shipment_logistics_cost, 0)
            + coalesce(return_totals.return_handling_cost, 0)
            as {{ decimal_type() }}
        ) as logistics_cost

    from campaigns

    left join shipment_totals
        on campaigns.campaign_id = shipment_totals.campaign_id

    left join return_totals
        on campaigns.campaign_id = return_totals.campaign_id

),

final as (

    select
        campaign_id,
        units_shipped,
        units_delivered,
        {{ safe_ratio('units_delivered', 'units_shipped') }} as delivery_rate,
        item_cost,
        logistics_cost,
        cast(item_cost + logistics_cost as {{ decimal_type() }}) as total_cost,
        {{ safe_ratio('logistics_cost', 'units_shipped') }}
            as logistics_cost_per_unit

    from totals

)

select * from final
