{#-
    dbt's own unique test, tagged column_rule: a model's column_rules test
    (column_rules.sql) checks it with the model's other tagged tests, and
    the report build leaves it out (`--exclude tag:column_rule`). The SQL is
    dbt's, through its dispatch.
-#}
{% test unique(model, column_name) %}

{{ config(tags=['column_rule']) }}

{{ adapter.dispatch('test_unique', 'dbt')(model, column_name) }}

{% endtest %}
