{#-
    Staging of the raw `returns` table.
    Quality: items sent back or reported.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('quality', 'returns'), 'returns') }}

),

checked as (

    select
        *,
        {{ first_row_breach('returns') }} as breach

    from merged

),

final as (

    select
        -- ids
        return_id,
        shipment_id,

        -- text
        reason,

        -- numbers
        quantity__typed as quantity,
        handling_cost__typed as handling_cost,

        -- timestamps
        reported_at__typed as reported_at,

        -- row checks
        return_id as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
