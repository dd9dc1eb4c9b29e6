{#-
    Codes and their activation at as_of: see int_codes__activated. Grain:
    one row per kept code whose shipment was ordered by as_of. The
    activation figures and their breakdowns aggregate it.
-#}

with

codes as (

    select * from {{ ref('int_codes__activated') }}

)

select * from codes
