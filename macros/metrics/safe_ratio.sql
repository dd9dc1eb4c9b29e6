{#-
    A double-precision float on every engine. dbt.type_float() is a 4-byte
    float on DuckDB, too coarse for rates compared to 1e-6.
-#}
{% macro double_type() -%}
    {{ return(adapter.dispatch('double_type', 'goodies')()) }}
{%- endmacro %}

{% macro default__double_type() -%}
    double precision
{%- endmacro %}

{% macro duckdb__double_type() -%}
    double
{%- endmacro %}

{% macro spark__double_type() -%}
    double
{%- endmacro %}


{#-
    numerator / denominator as a double, null when the denominator is zero or
    null: a ratio with nothing to divide by is not available, never zero or
    infinite.
-#}
{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as {{ double_type() }})
    / nullif(cast({{ denominator }} as {{ double_type() }}), 0)
{%- endmacro %}
