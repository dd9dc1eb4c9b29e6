{#-
    Generic test: every non-null value of the column lies within
    [min_value, max_value] (either bound may be omitted). dbt has no range
    test of its own and the dbt hub is out of reach, so it lives here.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

select {{ column_name }}

from {{ model }}

where {{ column_name }} is not null
    and (
        false
        {% if min_value is not none %}
        or {{ column_name }} < {{ min_value }}
        {% endif %}
        {% if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {% endif %}
    )

{% endtest %}
