{#- Generic test: the combination of `columns` is unique in the model. -#}
{% test unique_combination(model, columns) %}

select {{ columns | join(', ') }}

from {{ model }}

group by {{ columns | join(', ') }}

having count(*) > 1

{% endtest %}
