{#-
    Generic test: the combination of `columns` is unique in the model.
    Tagged column_rule, as unique is: see column_rules.sql.
-#}
{% test unique_combination(model, columns) %}

{{ config(tags=['column_rule']) }}

select {{ columns | join(', ') }}

from {{ model }}

group by {{ columns | join(', ') }}

having count(*) > 1

{% endtest %}
