{#-
    Staging of the raw `opportunities` table.
    CRM: opportunities of leads.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Values typed; `breach_reason` holds the
    first row check the row fails (rules 2 to 4 of the contract), null when
    it passes. Incremental: a re-run stages only what the rows appended to
    the export touch (macros/raw/incremental_rows.sql).
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

    -- reads the source itself, twice on an incremental run
    {{ merge_exact_duplicates_incrementally('crm', 'opportunities') }}

),

checked as (

    select
        *,
        {{ first_row_breach('opportunities') }} as breach

    from merged

),

typed as (

    select
        -- ids
        opportunity_id,
        lead_id,

        -- text
        stage,

        -- numbers
        {{ to_decimal('amount') }} as amount,

        -- timestamps
        {{ to_timestamp_utc('created_at') }} as created_at,
        {{ to_timestamp_utc('closed_at') }} as closed_at,

        -- row checks
        row_hash,
        opportunity_id as row_key,
        merged_copies,
        breach

    from checked

),

time_checked as (

    select
        *,
        coalesce(
            breach,
            case
                when closed_at < created_at
                    then 'closed_before_created:closed_at'
            end
        ) as first_breach

    from typed

),

final as (

    select
        opportunity_id,
        lead_id,
        stage,
        amount,
        created_at,
        closed_at,
        row_hash,
        row_key,
        merged_copies,
        {{ breach_reason('first_breach') }} as breach_reason,
        {{ breach_detail('first_breach') }} as breach_detail

    from time_checked

)

select * from final
