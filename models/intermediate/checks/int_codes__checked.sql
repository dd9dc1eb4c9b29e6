{#-
    `codes` after every row check: staging's, then rules 5 and 6 of the
    contract: references to kept rows
    (shipment_id → shipments).
    Grain: one row per staged row. Later models read `where is_kept`.
-#}

with

codes as (

    select * from {{ ref('stg_tracking__codes') }}

),

kept_shipments as (

    select shipment_id from {{ ref('int_shipments__checked') }}
    where is_kept

),

checked as (

    select
        codes.*,
        coalesce(
            codes.breach_reason || ':'
            || coalesce(codes.breach_detail, ''),
            case
                when kept_shipments.shipment_id is null
                    then 'unknown_shipment:shipment_id'
            end
        ) as breach

    from codes

    left join kept_shipments
        on codes.shipment_id = kept_shipments.shipment_id

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
