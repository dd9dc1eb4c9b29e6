{#-
    Incremental staging of the event-like tables (code_events, leads,
    opportunities), whose exports grow by appended rows: a re-run types and
    checks only the raw rows that are new or whose outcome can have changed,
    and gives exactly the rows a full refresh would.

    A staged row is a distinct raw row, named by `row_hash` (a hash of its
    raw text: see raw_row_hash). Rules 1 and 2 look at other rows: how many
    copies a row has, and whether another distinct row shares its key. So a
    re-run recomputes every raw row whose key is touched by a change: a new
    distinct row, a row whose number of copies changed, a row that left the
    file. The model replaces those rows by row_hash (delete+insert); a row
    that left is replaced by a marker row, which the post-hook deletes.

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


{#-
    The raw table is read where each step needs it rather than through one
    CTE: DuckDB would hold every raw row of the first read until the second
    one, spilling a gigabyte at ten million events.
-#}
{% macro merge_exact_duplicates_incrementally(source_name, table_name) %}
    {% set relation = source(source_name, table_name) %}
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

    -- the raw rows against the staged ones, in one join (two anti-joins of
    -- the whole table cost twice as much): a raw row whose number of copies
    -- changed or that is new, a staged row that left the file. One hash is
    -- one raw text, so a row found on both sides has one key.
    differences as (
        select
            coalesce(counted.row_hash, staged.row_hash) as row_hash,
            coalesce(counted.{{ key }}, staged.{{ key }}) as {{ key }},
            counted.row_hash is null as has_departed
        from counted
        full outer join (
            select row_hash, merged_copies, {{ key }} from {{ this }}
        ) as staged
            on counted.row_hash = staged.row_hash
        where
            counted.row_hash is null
            or staged.row_hash is null
            or counted.merged_copies <> staged.merged_copies
    ),

    touched_keys as (
        select distinct {{ key }}
        from differences
        where {{ key }} is not null
    ),

    -- every raw row of a touched key (so that a key clash is seen whole),
    -- and the new rows without a key
    to_stage as (
        select counted.row_hash
        from counted
        inner join touched_keys
            on counted.{{ key }} = touched_keys.{{ key }}
        union
        select row_hash
        from differences
        where not has_departed and {{ key }} is null
    ),

    -- the raw rows read again rather than kept from above: holding every
    -- column of every row in memory costs more than a second scan; every row
    -- of a touched key is there, so its key clash is counted as in full
    restaged as (
        {{ merge_exact_duplicates(
            relation, table_name, row_hash=true, hashes_in='to_stage',
            keys_in='touched_keys') }}
    )

    select * from restaged

    union all

    -- each staged row that left the file, as a marker row of its hash: the
    -- delete+insert takes the staged row out, and the post-hook its marker
    -- (no staged row has a null merged_copies), without reading the raw
    -- table a third time
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        {%- for column in table.columns if column.type != 'text' %}
        null as {{ column.name }}__typed,
        {%- endfor %}
        row_hash,
        cast(null as {{ dbt.type_bigint() }}) as merged_copies,
        false as has_key_clash
    from differences
    where has_departed

    {% endif %}
{% endmacro %}


{#-
    The post-hook: the marker rows of the staged rows that left the raw table
    (see merge_exact_duplicates_incrementally) leave in turn; the staged rows
    themselves went with the delete+insert.
-#}
{% macro delete_departed_rows() %}
    {% if is_incremental() %}
        delete from {{ this }} where merged_copies is null
    {% endif %}
{% endmacro %}
