{#-
    Codes and their activation at as_of (metrics.md, Activation).
    Grain: one row per kept code whose shipment is in int_shipments__as_of
    (ordered by as_of). An event counts when its UTC date is on or before
    as_of; exact duplicates were merged in staging. A qualifying event is a
    scan or redeem at or after its shipment's shipped_at (none without a
    shipped_at); an activated code is a delivered code with at least one.
    days_to_activation is (first qualifying event − the shipment's
    delivered_at) in days, a fraction, negative when the code was used
    before the delivery was recorded. It is taken from dbt.datediff in
    microseconds, which is exact on DuckDB and PostgreSQL alike (in seconds
    both would count whole-second boundaries and drop the fraction).
-#}

with

codes as (

    select
        code,
        shipment_id,
        code_type

    from {{ ref('int_codes__checked') }}

    where is_kept

),

code_events as (

    select
        code,
        event_type,
        event_at

    from {{ ref('int_code_events__checked') }}

    where
        is_kept
        and cast(event_at as date) <= {{ as_of_date() }}

),

shipments as (

    select
        shipment_id,
        campaign_id,
        recipient_id,
        sku,
        channel,
        shipped_at,
        delivered_at,
        is_delivered

    from {{ ref('int_shipments__as_of') }}

),

codes_with_shipment as (

    select
        codes.code,
        codes.shipment_id,
        shipments.campaign_id,
        shipments.recipient_id,
        shipments.sku,
        shipments.channel,
        codes.code_type,
        shipments.shipped_at as shipment_shipped_at,
        shipments.delivered_at as shipment_delivered_at,
        shipments.is_delivered as is_delivered_code

    from codes

    inner join shipments
        on codes.shipment_id = shipments.shipment_id

),

qualifying_events as (

    select
        code_events.code,
        code_events.event_type,
        code_events.event_at

    from code_events

    inner join codes_with_shipment
        on code_events.code = codes_with_shipment.code

    where
        code_events.event_type in ('scan', 'redeem')
        and code_events.event_at >= codes_with_shipment.shipment_shipped_at

),

per_code as (

    select
        code,
        min(event_at) as first_qualifying_event_at,
        count(*) filter (where event_type = 'scan') > 0 as has_scan,
        count(*) filter (where event_type = 'redeem') > 0 as has_redeem

    from qualifying_events

    group by 1

),

activated as (

    select
        codes_with_shipment.*,
        per_code.first_qualifying_event_at,
        coalesce(per_code.has_scan, false) as has_qualifying_scan,
        coalesce(per_code.has_redeem, false) as has_qualifying_redeem,
        codes_with_shipment.is_delivered_code
        and per_code.code is not null as is_activated

    from codes_with_shipment

    left join per_code
        on codes_with_shipment.code = per_code.code

),

final as (

    select
        *,
        case
            when is_activated
                then cast(
                    {{ dbt.datediff(
                        'shipment_delivered_at',
                        'first_qualifying_event_at',
                        'microsecond'
                    ) }} as {{ double_type() }}
                ) / 86400000000
        end as days_to_activation

    from activated

)

select * from final
