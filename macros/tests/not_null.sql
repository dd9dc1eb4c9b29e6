{#-
    dbt's own not_null test, tagged column_rule: a model's column_rules test
    (column_rules.sql) checks every test so tagged in one query, and the
    report build leaves them out (`--exclude tag:column_rule`). The SQL is
    dbt's, through its dispatch.
-#}
{% test not_null(model, column_name) %}

{{ config(tags=['column_rule']) }}

{{ adapter.dispatch('test_not_null', 'dbt')(model, column_name) }}

{% endtest %}
