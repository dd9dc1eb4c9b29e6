{#-
    Shipments as they stood at as_of, with their units and costs as
    metrics.md counts them.
    Grain: one row per kept shipment whose ordered_at counts at as_of. A
    shipped_at or delivered_at after as_of is taken as not yet happened;
    statuses are taken as written.
-#}

with

shipments as (

    select * from {{ ref('int_shipments__checked') }}

    where is_kept

),

skus as (

    select
        sku,
        positioning,
        tier,
        unit_cost
    from {{ ref('int_skus__checked') }}

    where is_kept

),

as_of_cut as (

    select
        shipment_id,
        campaign_id,
        recipient_id,
        sku,
        channel,
        supplier,
        carrier,
        status,
        quantity,
        shipping_cost,
        handling_cost,
        ordered_at,
        {{ as_of_or_null('shipped_at') }} as shipped_at,
        {{ as_of_or_null('delivered_at') }} as delivered_at

    from shipments

    where cast(ordered_at as date) <= {{ as_of_date() }}

),

flagged as (

    select
        as_of_cut.*,
        skus.positioning,
        skus.tier,
        skus.unit_cost,
        as_of_cut.status <> 'cancelled' as is_live

    from as_of_cut

    inner join skus
        on as_of_cut.sku = skus.sku

),

final as (

    select
        *,
        is_live and shipped_at is not null as is_shipped,
        is_live and delivered_at is not null as is_delivered,

        -- units and costs of metrics.md's Distribution and Costs
        case
            when is_live and shipped_at is not null then quantity else 0
        end as units_shipped,
        case
            when is_live and delivered_at is not null then quantity else 0
        end as units_delivered,
        case
            when is_live and shipped_at is not null
                then quantity * unit_cost
            else 0
        end as item_cost,
        case
            when is_live then shipping_cost + handling_cost else 0
        end as logistics_cost

    from flagged

)

select * from final
