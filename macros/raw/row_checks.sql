{#-
    Rules 1 and 2 of "Rows that break the contract", shared by every staging
    model. merge_exact_duplicates keeps one row per distinct raw text, with
    the number of copies merged into it and whether its key clashes with a
    different row (a null key never clashes: the value checks catch it). A
    row clashes when its key has more raw rows than the row has copies: the
    key's rows are counted by a group by the key alone, which at ten million
    rows costs half of what a window over the merged rows did. `relation`
    is the source itself, read twice, rather than a CTE: DuckDB would hold
    every raw row of a CTE read twice.
    Incremental staging (incremental_rows.sql) adds each row's `row_hash`,
    and restages only the raw rows whose hash is in the relation
    `hashes_in`: every raw row of the (single-column) keys in `keys_in`, and
    new rows without a key. The rows of those keys are counted without
    hashing the raw table again.

    Each non-text value is typed here too, once per distinct row, as
    `<column>__typed`: null where the text is null or not of the column's
    type (contract_values.sql). The row checks and the model's output read
    these columns. Typed here rather than in a CTE of their own: PostgreSQL
    copies the expressions of a plain CTE into each place that uses them,
    so a text would be parsed once per use; it copies none out of a grouped
    query.
-#}

{% macro merge_exact_duplicates(
    relation, table_name, row_hash=false, hashes_in=none, keys_in=none
) %}
    {% set table = contract_table(table_name) %}
    {% set columns = table.columns | map(attribute='name') | list %}
    select
        {{ columns | join(',\n        ') }},
    {%- for column in table.columns if column.type != 'text' %}
        {{ to_value(column.type, column.name) }}
            as {{ column.name }}__typed,
    {%- endfor %}
    {%- if row_hash %}
        {{ raw_row_hash(columns) }} as row_hash,
    {%- endif %}
        count(*) - 1 as merged_copies,
    {%- if table.key %}
        {#- more raw rows of the key than copies of the row: another row has
            the key #}
        coalesce(max(key_rows.raw_rows) > count(*), false) as has_key_clash
    {%- else %}
        false as has_key_clash
    {%- endif %}

    from {{ relation }}
    {%- if table.key %}

    left join (
        select
            {%- for key in table.key %}
            {{ key }} as key_rows_{{ key }},
            {%- endfor %}
            count(*) as raw_rows
        from {{ relation }}
        where
            {%- for key in table.key %}
            {{ key }} is not null{{ ' and' if not loop.last }}
            {%- endfor %}
            {%- if keys_in %}
            and {{ table.key[0] }} in (
                select {{ table.key[0] }} from {{ keys_in }}
            )
            {%- endif %}
        group by {{ table.key | join(', ') }}
    ) as key_rows
        on
            {%- for key in table.key %}
            {{ key }} = key_rows.key_rows_{{ key }}
            {{- ' and' if not loop.last }}
            {%- endfor %}
    {%- endif %}

    {%- if hashes_in %}

    where {{ raw_row_hash(columns) }} in (select row_hash from {{ hashes_in }})
    {%- endif %}

    group by {{ columns | join(', ') }}
{% endmacro %}


{#-
    The first check of rules 2 to 4 that a staged row fails, as
    '<reason>:<column>', or null. It reads the typed columns of
    merge_exact_duplicates beside the raw ones. `time_breach` is the model's
    own rule-4 expression (the contradictions differ from table to table).
-#}
{% macro first_row_breach(table_name, time_breach='null') %}
    {% set key = contract_table(table_name).key %}
    coalesce(
        case
            when has_key_clash then 'key_clash:{{ key | join("+") }}'
        end,
        {{ contract_value_breach(table_name) }},
        {{ time_breach }}
    )
{% endmacro %}


{#- The reason and the column of a '<reason>:<column>' breach. -#}
{% macro breach_reason(breach) -%}
    nullif(split_part({{ breach }}, ':', 1), '')
{%- endmacro %}

{% macro breach_detail(breach) -%}
    nullif(split_part({{ breach }}, ':', 2), '')
{%- endmacro %}


{#-
    An e-mail address, trimmed and lower-cased, replaced by a keyed SHA-256
    hash: leads still match recipients, and the address itself goes no
    further than staging.
-#}
{% macro hash_email(expr) -%}
    {{ return(adapter.dispatch('hash_email', 'goodies')(expr)) }}
{%- endmacro %}

{% macro default__hash_email(expr) -%}
    case when nullif(trim({{ expr }}), '') is not null then
        encode(sha256(convert_to(
            '{{ var("email_hash_key") | replace("'", "''") }}'
            || lower(trim({{ expr }})), 'UTF8')), 'hex')
    end
{%- endmacro %}

{% macro duckdb__hash_email(expr) -%}
    case when nullif(trim({{ expr }}), '') is not null then
        sha256(
            '{{ var("email_hash_key") | replace("'", "''") }}'
            || lower(trim({{ expr }})))
    end
{%- endmacro %}

{#- sha2 hashes the text's UTF-8 bytes and writes lower-case hex, as the
    others do. A backslash of the key is doubled: Spark's string literals
    read it as an escape. -#}
{% macro spark__hash_email(expr) -%}
    case when nullif(trim({{ expr }}), '') is not null then
        sha2(
            '{{ var("email_hash_key") | replace("\\", "\\\\")
                | replace("'", "\\'") }}'
            || lower(trim({{ expr }})), 256)
    end
{%- endmacro %}
