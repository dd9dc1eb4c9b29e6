{#-
    Shipments as they stood at as_of: see int_shipments__as_of, which every
    model that needs shipments reads. Grain: one row per kept shipment whose
    ordered_at counts at as_of.
-#}

with

shipments as (

    select * from {{ ref('int_shipments__as_of') }}

)

select * from shipments
