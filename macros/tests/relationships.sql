{#-
    dbt's own relationships test, tagged column_rule: a model's column_rules
    test (column_rules.sql) checks it with the model's other tagged tests,
    once the table it points to is built, and the report build leaves it out
    (`--exclude tag:column_rule`). The SQL is dbt's, through its dispatch.
-#}
{% test relationships(model, column_name, to, field) %}

{{ config(tags=['column_rule']) }}

{{ adapter.dispatch('test_relationships', 'dbt')(
    model, column_name, to, field) }}

{% endtest %}
