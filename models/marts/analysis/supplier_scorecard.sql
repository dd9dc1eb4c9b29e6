{#-
    The supplier scorecard (metrics.md, Suppliers): per campaign and
    supplier, over its live delivered shipments at as_of, the share on time,
    the median lead time and the defect rate, against the targets of the
    `suppliers` table, with a flag per breach. A supplier missing from
    `suppliers` (or without that table) is kept, with no targets and no
    breach; a shipment with a null supplier belongs to no supplier.
    Grain: one row per campaign and supplier with at least one live
    delivered shipment.
-#}

with

shipments as (

    select
        shipment_id,
        campaign_id,
        supplier,
        is_live,
        is_delivered,
        ordered_at,
        delivered_at,
        units_delivered
    from {{ ref('fct_shipments') }}

    where supplier is not null

),

returns as (

    select
        shipment_id,
        reason,
        quantity
    from {{ ref('fct_returns') }}

),

suppliers as (

    select
        supplier,
        on_time_target,
        max_lead_time_days,
        max_defect_rate
    from {{ ref('int_suppliers__checked') }}

    where is_kept

),

inventory as (

    select * from {{ ref('stg_raw_input__raw_table_inventory') }}

),

present as (

    {{ tables_present('inventory', ['returns']) }}

),

delivered as (

    -- days between order and delivery, exact: microseconds / 86,400e6
    select
        campaign_id,
        supplier,
        units_delivered,
        cast(
            {{ dbt.datediff('ordered_at', 'delivered_at', 'microsecond') }}
            as {{ double_type() }}
        ) / 86400000000 as lead_time_days

    from shipments

    where is_live and is_delivered

),

defects as (

    -- the defect returns of every shipment of the supplier, as the
    -- campaign's defect_rate counts them (kpis_by_member)
    select
        shipments.campaign_id,
        shipments.supplier,
        sum(returns.quantity) as defect_units

    from returns

    inner join shipments
        on returns.shipment_id = shipments.shipment_id

    where returns.reason = 'defect'

    group by 1, 2

),

with_targets as (

    select
        delivered.*,
        suppliers.max_lead_time_days

    from delivered

    left join suppliers
        on delivered.supplier = suppliers.supplier

),

per_supplier as (

    select
        campaign_id,
        supplier,
        count(*) as delivered_shipments,
        sum(units_delivered) as units_delivered,
        count(*) filter (
            where lead_time_days <= max_lead_time_days
        ) as on_time_shipments,
        percentile_cont(0.5) within group (
            order by lead_time_days
        ) as median_lead_time_days

    from with_targets

    group by 1, 2

),

figures as (

    select
        per_supplier.campaign_id,
        per_supplier.supplier,
        per_supplier.delivered_shipments,
        per_supplier.units_delivered,
        case
            when present.has_returns
                then coalesce(defects.defect_units, 0)
        end as defect_units,
        case
            when suppliers.max_lead_time_days is not null
                then {{ safe_ratio(
                    'per_supplier.on_time_shipments',
                    'per_supplier.delivered_shipments') }}
        end as on_time_rate,
        per_supplier.median_lead_time_days,
        case
            when present.has_returns
                then {{ safe_ratio(
                    'coalesce(defects.defect_units, 0)',
                    'per_supplier.units_delivered') }}
        end as defect_rate,
        suppliers.supplier is not null as is_listed_supplier,
        suppliers.on_time_target,
        suppliers.max_lead_time_days,
        suppliers.max_defect_rate

    from per_supplier

    cross join present

    left join defects
        on
            per_supplier.campaign_id = defects.campaign_id
            and per_supplier.supplier = defects.supplier

    left join suppliers
        on per_supplier.supplier = suppliers.supplier

),

final as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(supplier as {{ dbt.type_string() }}) as supplier,
        cast(delivered_shipments as bigint) as delivered_shipments,
        cast(units_delivered as bigint) as units_delivered,
        cast(defect_units as bigint) as defect_units,
        cast(on_time_rate as {{ double_type() }}) as on_time_rate,
        cast(median_lead_time_days as {{ double_type() }})
            as median_lead_time_days,
        cast(defect_rate as {{ double_type() }}) as defect_rate,
        is_listed_supplier,
        cast(on_time_target as {{ double_type() }}) as on_time_target,
        cast(max_lead_time_days as bigint) as max_lead_time_days,
        cast(max_defect_rate as {{ double_type() }}) as max_defect_rate,

        -- a missing target or figure is never breached
        coalesce(on_time_rate < on_time_target, false)
            as is_on_time_breached,
        coalesce(median_lead_time_days > max_lead_time_days, false)
            as is_lead_time_breached,
        coalesce(defect_rate > max_defect_rate, false)
            as is_defect_breached

    from figures

)

select * from final
