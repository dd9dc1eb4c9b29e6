{#-
    Staging of the raw `suppliers` table.
    Catalog: one row per supplier and its agreed service levels.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Values typed; `breach_reason` holds the
    first row check the row fails (rules 2 to 4 of the contract), null when
    it passes.
-#}

with

source as (

    select * from {{ source('catalog', 'suppliers') }}

),

merged as (

    {{ merge_exact_duplicates('source', 'suppliers') }}

),

checked as (

    select
        *,
        {{ first_row_breach('suppliers') }} as breach

    from merged

),

final as (

    select
        -- ids
        supplier,

        -- numbers
        {{ to_decimal('on_time_target') }} as on_time_target,
        {{ to_integer('max_lead_time_days') }} as max_lead_time_days,
        {{ to_decimal('max_defect_rate') }} as max_defect_rate,

        -- row checks
        supplier as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
