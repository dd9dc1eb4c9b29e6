{#-
    Staging of the raw `opportunities` table.
    CRM: opportunities of leads.
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
    {{ merge_exact_duplicates_incrementally('crm', 'opportunities') }}

),

checked as (

    select
        *,
        {{ first_row_breach('opportunities') }} as breach

    from merged

),

time_checked as (

    select
        *,
        coalesce(
            breach,
            case
                when closed_at__typed < created_at__typed
                    then 'closed_before_created:closed_at'
            end
        ) as first_breach

    from checked

),

final as (

    select
        -- ids
        opportunity_id,
        lead_id,

        -- text
        stage,

        -- numbers
        amount__typed as amount,

        -- timestamps
        created_at__typed as created_at,
        closed_at__typed as closed_at,

        -- row checks
        row_hash,
        opportunity_id as row_key,
        merged_copies,
        {{ breach_reason('first_breach') }} as breach_reason,
        {{ breach_detail('first_breach') }} as breach_detail

    from time_checked

)

select * from final
