{#-
    Staging of the raw `code_events` table.
    Tracking: scans and redemptions of codes.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
    Incremental: a re-run stages only what the rows appended to the export
    touch (macros/raw/incremental_rows.sql).
-#}

{#- Spark's Parquet tables take no delete: a table there, rebuilt whole. -#}
{{ config(
    materialized=('table' if target.type == 'spark' else 'incremental'),
    unique_key='row_hash',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    post_hook="{{ delete_departed_rows() }}"
) }}

with

merged as (

    -- reads the source itself: twice, three times on an incremental run
    {{ merge_exact_duplicates_incrementally('tracking', 'code_events') }}

),

checked as (

    select
        *,
        {{ first_row_breach('code_events') }} as breach

    from merged

),

final as (

    select
        -- ids
        event_id,
        code,

        -- text
        event_type,

        -- timestamps
        event_at__typed as event_at,

        -- row checks
        row_hash,
        event_id as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
