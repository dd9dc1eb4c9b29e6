{#-
    What became of every raw row, table by table: raw = kept + merged +
    set aside (a test checks raw against the sources themselves).
    Grain: one row per table of the raw-data contract.
-#}

{% set checked_tables = [
    'campaigns', 'forecast', 'skus', 'suppliers', 'recipients', 'shipments',
    'codes', 'code_events', 'leads', 'opportunities', 'returns',
    'survey_responses', 'debrief_attendance',
] %}

with

inventory as (

    select * from {{ ref('stg_raw_input__raw_table_inventory') }}

),

counted as (

    {% for table_name in checked_tables %}
        select
            cast('{{ table_name }}' as {{ dbt.type_string() }}) as table_name,
            count(*) filter (where is_kept) as kept_rows,
            coalesce(sum(merged_copies), 0) as merged_rows,
            count(*) filter (where not is_kept) as set_aside_rows
        from {{ ref('int_' ~ table_name ~ '__checked') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        counted.table_name,
        inventory.is_required,
        inventory.is_present,
        cast(
            counted.kept_rows + counted.merged_rows + counted.set_aside_rows
            as bigint
        ) as raw_rows,
        cast(counted.kept_rows as bigint) as kept_rows,
        cast(counted.merged_rows as bigint) as merged_rows,
        cast(counted.set_aside_rows as bigint) as set_aside_rows

    from counted

    inner join inventory
        on counted.table_name = inventory.table_name

)

select * from final
