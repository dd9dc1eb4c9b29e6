{#-
    The value grammar of the raw-data contract, one pair of macros per type:
    `is_valid_<type>(expr)` says whether a non-null text value matches the
    grammar, `to_<type>(expr)` turns a valid one into its typed value, never
    null, and any other into null: the row checks take a text whose typed
    value is null for one of the wrong type. Both are plain SQL, so that the
    same staging runs on DuckDB and PostgreSQL; engine differences go through
    adapter.dispatch.

    Casts only ever run inside a `case` that has checked the text first:
    neither engine has a portable try_cast, and `and` does not guarantee the
    order in which its sides are evaluated.
-#}

{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'goodies')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    ({{ expr }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{#- Java regular expressions; the patterns hold no backslash, which Spark's
    string literals would take as an escape. -#}
{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike '{{ pattern }}')
{%- endmacro %}


{#- expr without the leading characters that belong to `characters`. -#}
{% macro ltrim_characters(expr, characters) -%}
    {{ return(adapter.dispatch('ltrim_characters', 'goodies')(
        expr, characters)) }}
{%- endmacro %}

{% macro default__ltrim_characters(expr, characters) -%}
    ltrim({{ expr }}, '{{ characters }}')
{%- endmacro %}

{#- Spark's two-argument ltrim takes the characters first. -#}
{% macro spark__ltrim_characters(expr, characters) -%}
    trim(leading '{{ characters }}' from {{ expr }})
{%- endmacro %}

{#- expr without the trailing characters that belong to `characters`. -#}
{% macro rtrim_characters(expr, characters) -%}
    {{ return(adapter.dispatch('rtrim_characters', 'goodies')(
        expr, characters)) }}
{%- endmacro %}

{% macro default__rtrim_characters(expr, characters) -%}
    rtrim({{ expr }}, '{{ characters }}')
{%- endmacro %}

{% macro spark__rtrim_characters(expr, characters) -%}
    trim(trailing '{{ characters }}' from {{ expr }})
{%- endmacro %}


{#-
    A text expression to sort by, compared byte by byte whatever the
    database's collation (PostgreSQL's may follow a language).
-#}
{% macro in_byte_order(expr) -%}
    {{ return(adapter.dispatch('in_byte_order', 'goodies')(expr)) }}
{%- endmacro %}

{% macro default__in_byte_order(expr) -%}
    {{ expr }} collate "C"
{%- endmacro %}

{#- Spark compares strings by their UTF-8 bytes unless told otherwise. -#}
{% macro spark__in_byte_order(expr) -%}
    {{ expr }}
{%- endmacro %}


{# Money and amounts: 28 integer digits and 10 decimals. #}
{% macro decimal_type() -%}
    decimal(38, 10)
{%- endmacro %}


{% macro is_valid_integer(expr) -%}
    {%- set digits = ltrim_characters(ltrim_characters(expr, '+-'), '0') -%}
    case
        when not {{ regex_matches(expr, '^[+-]?[0-9]+$') }} then false
        when length({{ digits }}) < 19 then true
        when length({{ digits }}) > 19 then false
        when {{ expr }} like '-%'
            then {{ digits }} <= '9223372036854775808'
        else {{ digits }} <= '9223372036854775807'
    end
{%- endmacro %}

{% macro to_integer(expr) -%}
    case when {{ is_valid_integer(expr) }} then cast({{ expr }} as bigint) end
{%- endmacro %}


{% macro is_valid_decimal(expr) -%}
    {#- the integer part's digits, leading zeros left out -#}
    {%- set digits = 'length(' ~ ltrim_characters(ltrim_characters(
        "split_part(" ~ expr ~ ", '.', 1)", '+-'), '0') ~ ')' -%}
    case
        when not {{ regex_matches(
            expr, '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$') }} then false
        when {{ digits }} < 28 then true
        {#- more integer digits than the decimal type holds #}
        when {{ digits }} > 28 then false
        {#- 28 nines whose fraction, rounded to 10 decimals, carries into a
            29th integer digit: the cast would fail rather than round #}
        else not {{ regex_matches(expr, '^[+-]?0*9{28}[.]9{10}[5-9]') }}
    end
{%- endmacro %}

{% macro to_decimal(expr) -%}
    case
        when {{ is_valid_decimal(expr) }}
            then cast({{ expr }} as {{ decimal_type() }})
    end
{%- endmacro %}


{% macro is_valid_boolean(expr) -%}
    (lower({{ expr }}) in ('true', 'false', '1', '0'))
{%- endmacro %}

{% macro to_boolean(expr) -%}
    case
        when lower({{ expr }}) in ('true', '1') then true
        when lower({{ expr }}) in ('false', '0') then false
    end
{%- endmacro %}


{#-
    Whether a text that starts with YYYY-MM-DD (its caller has matched it
    against a pattern) names a real calendar day.
-#}
{% macro is_calendar_date(expr) -%}
    case
        when cast(substr({{ expr }}, 1, 4) as integer) < 1 then false
        when cast(substr({{ expr }}, 6, 2) as integer) not between 1 and 12
            then false
        else cast(substr({{ expr }}, 9, 2) as integer) between 1 and (
            case
                when cast(substr({{ expr }}, 6, 2) as integer) = 2 then
                    {{ days_in_february(
                        'cast(substr(' ~ expr ~ ', 1, 4) as integer)') }}
                when cast(substr({{ expr }}, 6, 2) as integer) in (4, 6, 9, 11)
                    then 30
                else 31
            end
        )
    end
{%- endmacro %}

{% macro days_in_february(year) -%}
    case
        when mod({{ year }}, 400) = 0 then 29
        when mod({{ year }}, 100) = 0 then 28
        when mod({{ year }}, 4) = 0 then 29
        else 28
    end
{%- endmacro %}

{% macro is_valid_date(expr) -%}
    case
        when not {{ regex_matches(expr, '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') }}
            then false
        else {{ is_calendar_date(expr) }}
    end
{%- endmacro %}

{% macro to_date(expr) -%}
    case when {{ is_valid_date(expr) }} then cast({{ expr }} as date) end
{%- endmacro %}


{#-
    YYYY-MM-DD, then optionally a space or T and HH:MM[:SS[.fraction]], then
    optionally Z or +HH:MM / -HH:MM after the time.
-#}

{% macro timestamp_pattern() -%}
    {%- set date = '[0-9]{4}-[0-9]{2}-[0-9]{2}' -%}
    {%- set time = '[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?' -%}
    {%- set offset = '(Z|[+-][0-9]{2}:[0-9]{2})?' -%}
    {{- '^' ~ date ~ '([ T]' ~ time ~ offset ~ ')?$' -}}
{%- endmacro %}

{#-
    Whether a text that matches timestamp_pattern() ends with an offset:
    then, and only then, the sixth character from its end is a sign (a date
    alone, ten characters long, has a '-' there). String functions rather
    than a second pattern: a pattern costs far more at millions of values.
-#}
{% macro has_utc_offset(expr) -%}
    (
        length({{ expr }}) > 10
        and substr({{ expr }}, length({{ expr }}) - 5, 1) in ('+', '-')
    )
{%- endmacro %}

{#- The local part: without its Z or offset, T replaced by a space. -#}
{% macro timestamp_local_text(expr) -%}
    replace(
        case
            when {{ has_utc_offset(expr) }}
                then substr({{ expr }}, 1, length({{ expr }}) - 6)
            when {{ expr }} like '%Z'
                then substr({{ expr }}, 1, length({{ expr }}) - 1)
            else {{ expr }}
        end,
        'T',
        ' '
    )
{%- endmacro %}

{% macro is_valid_timestamp(expr) -%}
    case
        when not {{ regex_matches(expr, timestamp_pattern()) }} then false
        when not {{ is_calendar_date(expr) }} then false
        when length({{ expr }}) = 10 then true
        when cast(substr({{ expr }}, 12, 2) as integer) > 23 then false
        when cast(substr({{ expr }}, 15, 2) as integer) > 59 then false
        when substr({{ expr }}, 17, 1) = ':'
            and cast(substr({{ expr }}, 18, 2) as integer) > 59 then false
        when {{ has_utc_offset(expr) }} then
            {{ offset_part(expr, 'hours') }} <= 23
            and {{ offset_part(expr, 'minutes') }} <= 59
        else true
    end
{%- endmacro %}

{#- The hours or minutes of a trailing +HH:MM / -HH:MM offset. -#}
{% macro offset_part(expr, part) -%}
    {%- set start = 4 if part == 'hours' else 1 -%}
    cast(substr({{ expr }}, length({{ expr }}) - {{ start }}, 2) as integer)
{%- endmacro %}

{#- Minutes to subtract to bring a local time to UTC. -#}
{% macro utc_offset_minutes(expr) -%}
    case
        when {{ has_utc_offset(expr) }} then
            (case when substr({{ expr }}, length({{ expr }}) - 5, 1) = '-'
                then -1 else 1 end)
            * (
                {{ offset_part(expr, 'hours') }} * 60
                + {{ offset_part(expr, 'minutes') }}
            )
        else 0
    end
{%- endmacro %}

{% macro to_timestamp_utc(expr) -%}
    {{ return(adapter.dispatch('to_timestamp_utc', 'goodies')(expr)) }}
{%- endmacro %}

{% macro default__to_timestamp_utc(expr) -%}
    case
        when {{ is_valid_timestamp(expr) }} then
            {{ dbt.dateadd(
                'minute',
                '-(' ~ utc_offset_minutes(expr) ~ ')',
                'cast(' ~ timestamp_local_text(expr) ~ ' as timestamp)'
            ) }}
    end
{%- endmacro %}

{#-
    The same on DuckDB, whose own cast refuses a day, a minute or a second
    that does not exist (try_cast: null): only what it accepts and the
    contract does not, an hour of 24 and the year 0, is refused before it.
    Three times quicker than the portable checks, a second for every three
    million values on a laptop; test_bad_input holds both to the contract.
-#}
{% macro duckdb__to_timestamp_utc(expr) -%}
    case
        when not {{ regex_matches(expr, timestamp_pattern()) }} then null
        when substr({{ expr }}, 1, 4) = '0000' then null
        when substr({{ expr }}, 12, 2) > '23' then null
        when
            {{ has_utc_offset(expr) }}
            and (
                substr({{ expr }}, length({{ expr }}) - 4, 2) > '23'
                or substr({{ expr }}, length({{ expr }}) - 1, 2) > '59'
            )
            then null
        else {{ dbt.dateadd(
            'minute',
            '-(' ~ utc_offset_minutes(expr) ~ ')',
            'try_cast(' ~ timestamp_local_text(expr) ~ ' as timestamp)'
        ) }}
    end
{%- endmacro %}


{#- The typed value of a text, for a type named in the contract. -#}
{% macro to_value(contract_type, expr) -%}
    {%- if contract_type == 'integer' -%} {{ to_integer(expr) }}
    {%- elif contract_type == 'decimal' -%} {{ to_decimal(expr) }}
    {%- elif contract_type == 'boolean' -%} {{ to_boolean(expr) }}
    {%- elif contract_type == 'date' -%} {{ to_date(expr) }}
    {%- elif contract_type == 'timestamp' -%} {{ to_timestamp_utc(expr) }}
    {%- elif contract_type == 'text' -%} {{ expr }}
    {%- else -%}
        {% do exceptions.raise_compiler_error(
            'unknown contract type ' ~ contract_type) %}
    {%- endif -%}
{%- endmacro %}
