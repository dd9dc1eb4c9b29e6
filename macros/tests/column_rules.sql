{#-
    Generic test, declared once on a model: the model's not_null,
    accepted_range, accepted_values, unique, unique_combination and
    relationships tests (all tagged column_rule by this project's test
    macros) folded into one query. The value checks share one scan of the
    table; each uniqueness check groups the table on its own, each
    relationship joins it to the table it points to. The query returns a
    row per test that fails, with the count of failures dbt's own test would
    report: rows for not_null, accepted_range and relationships, distinct
    values for accepted_values, duplicated values or combinations for the
    others.

    dbt spends some 50 ms on a test whatever the table's size, and a model
    here carries up to fifty such tests: the report build runs this test in
    their stead (goodies-report passes `--exclude tag:column_rule`;
    `--unit-tests`, like `dbt build` by hand, runs both). The tests are read
    from dbt's graph when the test runs, so a test added to a model's YAML
    is folded in as soon as it is written; a bound written as
    `{{ var('name') }}` is read from the var, any other Jinja in a bound is
    refused. tests/quality/assert_column_tests_are_folded.sql fails on a
    tagged test whose model has no column_rules.

    A relationship is checked here only once the table it points to is
    built: dbt runs this test after the model's ancestors and after the
    nodes it depends on, which are contract_breach_reasons (the reasons
    every checked model names) and the `after` argument, a list of refs,
    for the other tables a relationship of the model points to. A
    relationship to a table that is neither stops the test with a message
    naming what to add to `after`.
-#}
{% test column_rules(model, after=[]) %}

-- depends_on: {{ ref('contract_breach_reasons') }}

{%- set rules = goodies_column_rules(model) if execute else [] -%}

{%- if execute and not rules -%}
    {% do exceptions.raise_compiler_error(
        "column_rules on " ~ model.identifier ~ " folds no test: remove it "
        ~ "from the model's data_tests") %}
{%- endif %}

{%- set scanned = rules | selectattr('failures') | list -%}
{%- set grouped = rules | selectattr('failing_groups') | list %}

with

{%- if scanned %}

counted as (

    select
        {%- for rule in scanned %}
        {{ rule.failures }} as failures_{{ loop.index }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),
{%- endif %}

{%- if scanned %}

folded as (

    {%- for rule in scanned %}
    select
        {{ loop.index }} as rule_number,
        '{{ rule.test_name | replace("'", "''") }}' as test_name
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}

),
{%- endif %}

checked as (
    {%- if scanned %}

    select
        folded.test_name,
        case folded.rule_number
            {%- for rule in scanned %}
            when {{ loop.index }} then counted.failures_{{ loop.index }}
            {%- endfor %}
        end as failures
    from folded
    cross join counted
    {%- endif %}
    {%- for rule in grouped %}
    {{- "\n\n    union all\n" if scanned or not loop.first }}
    select
        '{{ rule.test_name | replace("'", "''") }}' as test_name,
        count(*) as failures
    from (
        {{ rule.failing_groups | indent(8) }}
    ) as failing
    {%- endfor %}

)

select test_name, failures

from checked

where failures > 0

{% endtest %}


{#-
    The tests tagged column_rule attached to the model of the relation,
    each as {test_name, failures} (an aggregate over the relation that
    counts what the test fails on) or {test_name, failing_groups} (a query
    returning a row per duplicated value), the test's `where` config
    included.
-#}
{% macro goodies_column_rules(relation) %}
    {%- set owner = namespace(unique_id=none) -%}
    {%- for node in graph.nodes.values()
        if node.resource_type in ('model', 'seed', 'snapshot')
        and node.alias == relation.identifier
        and node.schema == relation.schema -%}
        {%- set owner.unique_id = node.unique_id -%}
    {%- endfor -%}

    {%- set rules = [] -%}
    {#- what is built before this test runs, found at the first relationship -#}
    {%- set upstream = namespace(ids=none) -%}
    {%- for test in graph.nodes.values()
        if test.resource_type == 'test'
        and test.attached_node == owner.unique_id
        and 'column_rule' in test.tags -%}
        {%- set kind = test.test_metadata.name -%}
        {%- set arguments = test.test_metadata.kwargs -%}
        {%- set column = arguments.column_name -%}
        {%- set config = test.config -%}
        {%- if (config.severity | lower) != 'error'
            or config.error_if != '!= 0' or config.limit is not none -%}
            {% do exceptions.raise_compiler_error(
                test.name ~ ": column_rules folds only tests that fail on any "
                ~ "row (severity error, error_if '!= 0', no limit)") %}
        {%- endif -%}
        {%- set where = ('(' ~ config.where ~ ') and ')
            if config.where else '' -%}

        {%- if kind == 'not_null' -%}
            {%- do rules.append({
                'test_name': test.name,
                'failures': rows_where(where ~ column ~ ' is null')}) -%}
        {%- elif kind == 'accepted_range' -%}
            {%- do rules.append({
                'test_name': test.name,
                'failures': rows_where(where ~ '(' ~ out_of_range(
                    column,
                    goodies_bound(test.name, arguments.get('min_value')),
                    goodies_bound(test.name, arguments.get('max_value'))
                ) ~ ')')}) -%}
        {%- elif kind == 'accepted_values' -%}
            {%- do rules.append({
                'test_name': test.name,
                'failures': 'count(distinct case when ' ~ where ~ column
                    ~ ' not in (' ~ accepted_list(
                        arguments['values'], arguments.get('quote', true))
                    ~ ') then ' ~ column ~ ' end)'}) -%}
        {%- elif kind in ('unique', 'unique_combination') -%}
            {%- set columns = [column] if kind == 'unique'
                else arguments.columns -%}
            {%- set filters = ['(' ~ config.where ~ ')']
                if config.where else [] -%}
            {%- if kind == 'unique' -%}
                {%- do filters.append(column ~ ' is not null') -%}
            {%- endif -%}
            {%- do rules.append({
                'test_name': test.name,
                'failing_groups': duplicated_groups(
                    relation, columns, filters)}) -%}
        {%- elif kind == 'relationships' -%}
            {%- if upstream.ids is none -%}
                {%- set upstream.ids = built_before_column_rules(
                    owner.unique_id) -%}
            {%- endif -%}
            {%- set parent = built_parent(
                test, owner.unique_id, upstream.ids) -%}
            {%- do rules.append({
                'test_name': test.name,
                'failing_groups': orphan_rows(
                    relation, column, parent.relation_name, arguments.field,
                    config.where)}) -%}
        {%- else -%}
            {% do exceptions.raise_compiler_error(
                test.name ~ ": column_rules folds not_null, accepted_range, "
                ~ "accepted_values, unique, unique_combination and "
                ~ "relationships tests; a " ~ kind
                ~ " test cannot be tagged column_rule") %}
        {%- endif -%}
    {%- endfor -%}

    {{ return(rules | sort(attribute='test_name')) }}
{% endmacro %}


{#- How many rows meet a condition, as an aggregate. -#}
{% macro rows_where(condition) -%}
    count(case when {{ condition }} then 1 end)
{%- endmacro %}


{#- The accepted values as an SQL list, quoted as dbt's test quotes them. -#}
{% macro accepted_list(values, quote) -%}
    {%- for value in values -%}
        {%- if quote -%}
            '{{ value | string | replace("'", "''") }}'
        {%- else -%}
            {{ value }}
        {%- endif -%}
        {{- ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- A row per combination of `columns` found more than once. -#}
{% macro duplicated_groups(relation, columns, filters) -%}
select {{ columns | join(', ') }}
from {{ relation }}
{%- if filters %}
where {{ filters | join(' and ') }}
{%- endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{%- endmacro %}


{#-
    The nodes built before the column_rules test of a model runs: the nodes
    that test depends on (its `after` and the contract_breach_reasons seed),
    then the model and every ancestor of it.
-#}
{% macro built_before_column_rules(owner_id) %}
    {%- set built = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'test'
        and node.attached_node == owner_id
        and (node.test_metadata or {}).get('name') == 'column_rules' -%}
        {%- do built.extend(node.depends_on.nodes) -%}
    {%- endfor -%}

    {#- lineage grows as the loop walks it: each node's parents, once -#}
    {%- set lineage = [owner_id] -%}
    {%- for node_id in lineage -%}
        {%- for parent_id in graph.nodes.get(node_id, {}).get(
            'depends_on', {}).get('nodes', [])
            if parent_id not in lineage -%}
            {%- do lineage.append(parent_id) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(built + lineage) }}
{% endmacro %}


{#-
    The node a relationships test points to, provided it is among the nodes
    built before the model's column_rules test runs.
-#}
{% macro built_parent(test, owner_id, built) %}
    {%- set others = test.depends_on.nodes | reject('equalto', owner_id)
        | list -%}
    {%- set parent_id = others[0] if others else owner_id -%}
    {%- set parent = graph.nodes.get(parent_id) -%}
    {%- if parent is none or not parent.relation_name -%}
        {% do exceptions.raise_compiler_error(
            test.name ~ ": column_rules checks relationships to a model or a "
            ~ "seed, not to " ~ parent_id) %}
    {%- endif -%}
    {%- if parent_id not in built -%}
        {% do exceptions.raise_compiler_error(
            test.name ~ ": " ~ parent.name ~ " is not built before the "
            ~ "column_rules test of " ~ owner_id ~ " runs; add ref('"
            ~ parent.name ~ "') to that test's `after` argument") %}
    {%- endif -%}
    {{ return(parent) }}
{% endmacro %}


{#-
    The rows whose value is missing from the parent's column, as dbt's
    relationships test returns them (the test's `where` on the model).
-#}
{% macro orphan_rows(relation, column, parent_relation, field, where) -%}
select child.from_field
from (
    select {{ column }} as from_field
    from {{ relation }}
    where {{ column }} is not null
    {%- if where %} and ({{ where }}){% endif %}
) as child
left join (
    select {{ field }} as to_field
    from {{ parent_relation }}
) as parent
    on child.from_field = parent.to_field
where parent.to_field is null
{%- endmacro %}


{#- A bound as the test was given it: a number, none, or {{ var('name') }}. -#}
{% macro goodies_bound(test_name, value) %}
    {%- if value is string and '{' in value -%}
        {%- set inner = value.strip() -%}
        {%- set inner = inner[2:-2].strip()
            if inner.startswith('{{') and inner.endswith('}}') else '' -%}
        {%- set name = inner[4:-1].strip().strip('"').strip("'")
            if inner.startswith('var(') and inner.endswith(')') else '' -%}
        {%- if not name or not modules.re.match('^[A-Za-z0-9_]+$', name) -%}
            {% do exceptions.raise_compiler_error(
                test_name ~ ": column_rules reads a bound written as a number "
                ~ "or as a var, not " ~ value) %}
        {%- endif -%}
        {{ return(var(name)) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
