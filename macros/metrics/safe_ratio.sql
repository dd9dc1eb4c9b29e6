{#-
    numerator / denominator as a double, null when the denominator is zero or
    null: a ratio with nothing to divide by is not available, never zero or
    infinite.
-#}
{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as {{ dbt.type_float() }})
    / nullif(cast({{ denominator }} as {{ dbt.type_float() }}), 0)
{%- endmacro %}
