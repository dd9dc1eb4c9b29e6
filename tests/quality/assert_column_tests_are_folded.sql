{#-
    A report build leaves out the tests tagged column_rule (not_null,
    accepted_range, accepted_values, unique, unique_combination and
    relationships) and runs each model's column_rules test instead, which
    checks them all in one query (macros/tests/column_rules.sql). A
    tagged test on a model without column_rules would then go unchecked: each
    such test is a failing row here. Add `- column_rules` to the data_tests of
    the model it names.
-#}
{%- set unfolded = [] -%}
{%- if execute -%}
    {%- set checked = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'test'
        and (node.test_metadata or {}).get('name') == 'column_rules' -%}
        {%- do checked.append(node.attached_node) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'test'
        and 'column_rule' in node.tags
        and node.attached_node not in checked -%}
        {%- do unfolded.append(node.name ~ ' on ' ~ node.attached_node) -%}
    {%- endfor -%}
{%- endif %}

select unfolded_test

from (
    {%- for name in unfolded | sort %}
    select '{{ name | replace("'", "''") }}' as unfolded_test
    union all
    {%- endfor %}
    select cast(null as {{ dbt.type_string() }}) as unfolded_test
) as tests

where unfolded_test is not null
