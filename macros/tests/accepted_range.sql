{#-
    Generic test: every non-null value of the column lies within
    [min_value, max_value] (either bound may be omitted). dbt has no range
    test of its own and the dbt hub is out of reach, so it lives here. Tagged
    column_rule, as not_null is: see column_rules.sql.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

{{ config(tags=['column_rule']) }}

select {{ column_name }}

from {{ model }}

where {{ out_of_range(column_name, min_value, max_value) }}

{% endtest %}


{#- A row the test fails on; column_rules folds the same condition. -#}
{% macro out_of_range(column_name, min_value=none, max_value=none) -%}
    {{ column_name }} is not null
    and (
        false
        {%- if min_value is not none %}
        or {{ column_name }} < {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {%- endif %}
    )
{%- endmacro %}
