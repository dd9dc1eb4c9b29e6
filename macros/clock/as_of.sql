{#-
    The date the analysis is made for (var as_of, else the environment's
    GOODIES_AS_OF, YYYY-MM-DD; today in UTC when neither is set), as a SQL
    date literal. A time counts when its UTC date is on or before it.
-#}
{% macro as_of_date() -%}
    {%- set value = run_setting('as_of', 'GOODIES_AS_OF')
        or run_started_at.strftime('%Y-%m-%d') -%}
    {%- set pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' -%}
    {%- if not modules.re.match(pattern, value | string) -%}
        {% do exceptions.raise_compiler_error(
            "as_of is '" ~ value ~ "'; expected a date as YYYY-MM-DD") %}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}


{#- A timestamp that does not count at as_of is taken as not yet happened. -#}
{% macro as_of_or_null(timestamp_column) -%}
    case
        when cast({{ timestamp_column }} as date) <= {{ as_of_date() }}
            then {{ timestamp_column }}
    end
{%- endmacro %}
