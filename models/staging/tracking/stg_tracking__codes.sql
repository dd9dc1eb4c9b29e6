{#-
    Staging of the raw `codes` table.
    Tracking: a unique QR or promo code printed on a shipment; a shipment may
    carry several.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('tracking', 'codes'), 'codes') }}

),

checked as (

    select
        *,
        {{ first_row_breach('codes') }} as breach

    from merged

),

final as (

    select
        -- ids
        code,
        shipment_id,

        -- text
        code_type,

        -- timestamps
        issued_at__typed as issued_at,

        -- row checks
        code as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
