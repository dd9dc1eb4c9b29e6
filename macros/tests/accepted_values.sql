{#-
    dbt's own accepted_values test, tagged column_rule as unique and
    not_null are (see column_rules.sql). The SQL is dbt's, through its
    dispatch.
-#}
{% test accepted_values(model, column_name, values, quote=True) %}

{{ config(tags=['column_rule']) }}

{{ adapter.dispatch('test_accepted_values', 'dbt')(
    model, column_name, values, quote) }}

{% endtest %}
