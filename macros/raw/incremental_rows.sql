{#-
    Incremental staging of the event-like tables (code_events, leads,
    opportunities), whose exports grow by appended rows: a re-run types and
    checks only the raw rows that are new or whose outcome can have changed,
    and gives exactly the rows a full refresh would.

    A staged row is a distinct raw row, named by `row_hash` (a hash of its
    raw text: see raw_row_hash). Rules 1
    and 2 look at other rows: how many copies a row has, and whether another
    distinct row shares its key. So a re-run recomputes every raw row whose
    key is touched by a change: a new distinct row, a row whose number of
    copies changed, a row that left the file. The model replaces those rows
    by row_hash (delete+insert) and its post-hook deletes the rows that left.

    Only single-column keys are handled; the three tables have one.
-#}

{% macro raw_row_hash(columns) -%}
    {{ return(adapter.dispatch('raw_row_hash', 'goodies')(columns)) }}
{%- endmacro %}

{#-
    DuckDB's own 64-bit hash of the values, three times faster than an md5
    of their text over ten million rows. Two distinct rows could share one
    (about one chance in 400,000 at ten million rows): the uniqueness test
    of row_hash would then fail the build rather than lose a row.
-#}
{% macro duckdb__raw_row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__raw_row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "case when " ~ column ~ " is null then '-' else "
            ~ dbt.concat([
                "cast(" ~ dbt.length(column) ~ " as " ~ dbt.type_string() ~ ")",
                "':'",
                column,
            ])
            ~ " end"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{% macro merge_exact_duplicates_incrementally(relation, table_name) %}
    {% set table = contract_table(table_name) %}
    {% set columns = table.columns | map(attribute='name') | list %}
    {% if table.key | length != 1 %}
        {% do exceptions.raise_compiler_error(
            'incremental staging needs a single-column key: ' ~ table_name) %}
    {% endif %}
    {% set key = table.key[0] %}

    {% if not is_incremental() %}

    {{ merge_exact_duplicates(relation, table_name, row_hash=true) }}

    {% else %}

    with

    -- every distinct raw row of the file, by its hash: cheap to count,
    -- nothing typed yet
    counted as (
        select
            {{ raw_row_hash(columns) }} as row_hash,
            min({{ key }}) as {{ key }},
            count(*) - 1 as merged_copies
        from {{ relation }}
        group by {{ raw_row_hash(columns) }}
    ),

    changed as (
        select counted.row_hash, counted.{{ key }}
        from counted
        left join {{ this }} as staged
            on counted.row_hash = staged.row_hash
            and counted.merged_copies = staged.merged_copies
        where staged.row_hash is null
    ),

    departed as (
        select staged.{{ key }}
        from {{ this }} as staged
        left join counted
            on staged.row_hash = counted.row_hash
        where counted.row_hash is null
    ),

    touched_keys as (
        select {{ key }} from changed where {{ key }} is not null
        union
        select {{ key }} from departed where {{ key }} is not null
    ),

    -- every raw row of a touched key (so that a key clash is seen whole),
    -- and the new rows without a key
    to_stage as (
        select counted.row_hash
        from counted
        inner join touched_keys
            on counted.{{ key }} = touched_keys.{{ key }}
        union
        select row_hash from changed where {{ key }} is null
    ),

    -- the raw rows read again rather than kept from above: holding every
    -- column of every row in memory costs more than a second scan; every row
    -- of a touched key is there, so its key clash is counted as in full
    restaged as (
        {{ merge_exact_duplicates(
            relation, table_name, row_hash=true, hashes_in='to_stage') }}
    )

    select * from restaged

    {% endif %}
{% endmacro %}


{#-
    The post-hook: staged rows no longer in the raw table leave. The model
    reads the same source, so dbt already knows it depends on it.
-#}
{% macro delete_departed_rows(source_name, table_name) %}
    {% if is_incremental() %}
        {% set relation = source(source_name, table_name) %}
        {% set columns = contract_table(table_name).columns
            | map(attribute='name') | list %}
        delete from {{ this }}
        where row_hash in (
            select staged.row_hash
            from {{ this }} as staged
            left join (
                select {{ raw_row_hash(columns) }} as row_hash
                from {{ relation }}
            ) as raw_rows
                on staged.row_hash = raw_rows.row_hash
            where raw_rows.row_hash is null
        )
    {% endif %}
{% endmacro %}
