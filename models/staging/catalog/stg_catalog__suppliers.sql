{#-
    Staging of the raw `suppliers` table.
    Catalog: one row per supplier and its agreed service levels.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('catalog', 'suppliers'), 'suppliers') }}

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
        on_time_target__typed as on_time_target,
        max_lead_time_days__typed as max_lead_time_days,
        max_defect_rate__typed as max_defect_rate,

        -- row checks
        supplier as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
