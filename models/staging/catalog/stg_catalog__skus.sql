{#-
    Staging of the raw `skus` table.
    Catalog: one row per SKU.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('catalog', 'skus'), 'skus') }}

),

checked as (

    select
        *,
        {{ first_row_breach('skus') }} as breach

    from merged

),

final as (

    select
        -- ids
        sku,

        -- text
        sku_name,
        category,
        positioning,
        tier,

        -- numbers
        unit_cost__typed as unit_cost,

        -- booleans
        is_active__typed as is_active,

        -- row checks
        sku as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
