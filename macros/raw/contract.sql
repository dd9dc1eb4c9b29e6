{#-
    The raw-data contract as the project applies it: for every table, whether
    it is required, its key, and each column's type, whether it is required,
    and its allowed words or range check. It is written here, as data, rather
    than read from the source YAML, because dbt unit tests render models
    without the graph; tests/contract checks that the sources declare exactly
    these tables and columns.
-#}

{% macro raw_data_contract() %}
    {% set contract = [
        {
            'source_name': 'planning', 'name': 'campaigns',
            'is_required': true, 'key': ['campaign_id'],
            'columns': [
                {'name': 'campaign_id', 'type': 'text', 'is_required': true},
                {'name': 'campaign_name', 'type': 'text', 'is_required': true},
                {'name': 'start_date', 'type': 'date', 'is_required': true},
                {'name': 'end_date', 'type': 'date', 'is_required': true},
                {'name': 'currency', 'type': 'text', 'is_required': true},
                {'name': 'budget', 'type': 'decimal',
                    'is_required': false, 'check': 'non_negative'},
            ],
        },
        {
            'source_name': 'planning', 'name': 'forecast',
            'is_required': false, 'key': ['campaign_id', 'sku', 'channel'],
            'columns': [
                {'name': 'campaign_id', 'type': 'text', 'is_required': true},
                {'name': 'sku', 'type': 'text', 'is_required': true},
                {'name': 'channel', 'type': 'text',
                    'is_required': true,
                    'allowed': [
                        'direct_mail',
                        'event',
                        'sales_visit',
                        'order_insert',
                    ]},
                {'name': 'forecast_units', 'type': 'integer',
                    'is_required': true, 'check': 'non_negative'},
                {'name': 'forecast_cost', 'type': 'decimal',
                    'is_required': false, 'check': 'non_negative'},
                {'name': 'forecast_leads', 'type': 'integer',
                    'is_required': false, 'check': 'non_negative'},
                {'name': 'forecast_conversions', 'type': 'integer',
                    'is_required': false, 'check': 'non_negative'},
            ],
        },
        {
            'source_name': 'catalog', 'name': 'skus',
            'is_required': true, 'key': ['sku'],
            'columns': [
                {'name': 'sku', 'type': 'text', 'is_required': true},
                {'name': 'sku_name', 'type': 'text', 'is_required': true},
                {'name': 'category', 'type': 'text', 'is_required': true},
                {'name': 'positioning', 'type': 'text',
                    'is_required': true, 'allowed': ['utility', 'visibility']},
                {'name': 'tier', 'type': 'text',
                    'is_required': true, 'allowed': ['standard', 'premium']},
                {'name': 'unit_cost', 'type': 'decimal',
                    'is_required': true, 'check': 'non_negative'},
                {'name': 'is_active', 'type': 'boolean', 'is_required': true},
            ],
        },
        {
            'source_name': 'catalog', 'name': 'suppliers',
            'is_required': false, 'key': ['supplier'],
            'columns': [
                {'name': 'supplier', 'type': 'text', 'is_required': true},
                {'name': 'on_time_target', 'type': 'decimal',
                    'is_required': false, 'check': 'rate'},
                {'name': 'max_lead_time_days', 'type': 'integer',
                    'is_required': false, 'check': 'non_negative'},
                {'name': 'max_defect_rate', 'type': 'decimal',
                    'is_required': false, 'check': 'rate'},
            ],
        },
        {
            'source_name': 'crm', 'name': 'recipients',
            'is_required': true, 'key': ['recipient_id'],
            'columns': [
                {'name': 'recipient_id', 'type': 'text', 'is_required': true},
                {'name': 'campaign_id', 'type': 'text', 'is_required': true},
                {'name': 'email', 'type': 'text', 'is_required': false},
                {'name': 'company', 'type': 'text', 'is_required': false},
                {'name': 'segment', 'type': 'text', 'is_required': true},
                {'name': 'country', 'type': 'text', 'is_required': false},
                {'name': 'variant', 'type': 'text', 'is_required': false},
                {'name': 'is_holdout', 'type': 'boolean', 'is_required': true},
            ],
        },
        {
            'source_name': 'fulfillment', 'name': 'shipments',
            'is_required': true, 'key': ['shipment_id'],
            'columns': [
                {'name': 'shipment_id', 'type': 'text', 'is_required': true},
                {'name': 'campaign_id', 'type': 'text', 'is_required': true},
                {'name': 'recipient_id', 'type': 'text', 'is_required': true},
                {'name': 'sku', 'type': 'text', 'is_required': true},
                {'name': 'channel', 'type': 'text',
                    'is_required': true,
                    'allowed': [
                        'direct_mail',
                        'event',
                        'sales_visit',
                        'order_insert',
                    ]},
                {'name': 'quantity', 'type': 'integer',
                    'is_required': true, 'check': 'positive'},
                {'name': 'supplier', 'type': 'text', 'is_required': false},
                {'name': 'carrier', 'type': 'text', 'is_required': false},
                {'name': 'ordered_at', 'type': 'timestamp',
                    'is_required': true},
                {'name': 'shipped_at', 'type': 'timestamp',
                    'is_required': false},
                {'name': 'delivered_at', 'type': 'timestamp',
                    'is_required': false},
                {'name': 'status', 'type': 'text',
                    'is_required': true,
                    'allowed': [
                        'ordered',
                        'shipped',
                        'delivered',
                        'returned',
                        'lost',
                        'cancelled',
                    ]},
                {'name': 'shipping_cost', 'type': 'decimal',
                    'is_required': true, 'check': 'non_negative'},
                {'name': 'handling_cost', 'type': 'decimal',
                    'is_required': true, 'check': 'non_negative'},
            ],
        },
        {
            'source_name': 'tracking', 'name': 'codes',
            'is_required': false, 'key': ['code'],
            'columns': [
                {'name': 'code', 'type': 'text', 'is_required': true},
                {'name': 'shipment_id', 'type': 'text', 'is_required': true},
                {'name': 'code_type', 'type': 'text',
                    'is_required': true, 'allowed': ['qr', 'promo']},
                {'name': 'issued_at', 'type': 'timestamp',
                    'is_required': false},
            ],
        },
        {
            'source_name': 'tracking', 'name': 'code_events',
            'is_required': false, 'key': ['event_id'],
            'columns': [
                {'name': 'event_id', 'type': 'text', 'is_required': true},
                {'name': 'code', 'type': 'text', 'is_required': true},
                {'name': 'event_type', 'type': 'text',
                    'is_required': true, 'allowed': ['scan', 'redeem']},
                {'name': 'event_at', 'type': 'timestamp', 'is_required': true},
            ],
        },
        {
            'source_name': 'crm', 'name': 'leads',
            'is_required': false, 'key': ['lead_id'],
            'columns': [
                {'name': 'lead_id', 'type': 'text', 'is_required': true},
                {'name': 'recipient_id', 'type': 'text', 'is_required': false},
                {'name': 'email', 'type': 'text', 'is_required': false},
                {'name': 'created_at', 'type': 'timestamp',
                    'is_required': true},
                {'name': 'lead_source', 'type': 'text', 'is_required': false},
                {'name': 'is_qualified', 'type': 'boolean',
                    'is_required': true},
            ],
        },
        {
            'source_name': 'crm', 'name': 'opportunities',
            'is_required': false, 'key': ['opportunity_id'],
            'columns': [
                {'name': 'opportunity_id', 'type': 'text', 'is_required': true},
                {'name': 'lead_id', 'type': 'text', 'is_required': true},
                {'name': 'created_at', 'type': 'timestamp',
                    'is_required': true},
                {'name': 'closed_at', 'type': 'timestamp',
                    'is_required': false},
                {'name': 'stage', 'type': 'text',
                    'is_required': true, 'allowed': ['open', 'won', 'lost']},
                {'name': 'amount', 'type': 'decimal',
                    'is_required': false, 'check': 'non_negative'},
            ],
        },
        {
            'source_name': 'quality', 'name': 'returns',
            'is_required': false, 'key': ['return_id'],
            'columns': [
                {'name': 'return_id', 'type': 'text', 'is_required': true},
                {'name': 'shipment_id', 'type': 'text', 'is_required': true},
                {'name': 'reported_at', 'type': 'timestamp',
                    'is_required': true},
                {'name': 'reason', 'type': 'text',
                    'is_required': true,
                    'allowed': [
                        'defect',
                        'damaged',
                        'wrong_item',
                        'refused',
                        'undeliverable',
                        'other',
                    ]},
                {'name': 'quantity', 'type': 'integer',
                    'is_required': true, 'check': 'positive'},
                {'name': 'handling_cost', 'type': 'decimal',
                    'is_required': false, 'check': 'non_negative'},
            ],
        },
        {
            'source_name': 'feedback', 'name': 'survey_responses',
            'is_required': false, 'key': ['response_id'],
            'columns': [
                {'name': 'response_id', 'type': 'text', 'is_required': true},
                {'name': 'campaign_id', 'type': 'text', 'is_required': true},
                {'name': 'recipient_id', 'type': 'text', 'is_required': false},
                {'name': 'responded_at', 'type': 'timestamp',
                    'is_required': true},
                {'name': 'nps_score', 'type': 'integer',
                    'is_required': false, 'check': 'score_0_10'},
                {'name': 'comment', 'type': 'text', 'is_required': false},
            ],
        },
        {
            'source_name': 'governance', 'name': 'debrief_attendance',
            'is_required': false, 'key': [],
            'columns': [
                {'name': 'campaign_id', 'type': 'text', 'is_required': true},
                {'name': 'meeting_date', 'type': 'date', 'is_required': true},
                {'name': 'team', 'type': 'text',
                    'is_required': true,
                    'allowed': [
                        'marketing',
                        'sales',
                        'purchasing',
                        'logistics',
                    ]},
                {'name': 'attendee', 'type': 'text', 'is_required': true},
            ],
        },
    ] %}
    {{ return(contract) }}
{% endmacro %}


{% macro raw_input_schema() -%}
    {{ return(target.schema ~ '_raw_input') }}
{%- endmacro %}


{#- Every contract table, by name: [{source_name, name, is_required, key,
    columns: [{name, type, is_required, allowed, check}]}]. -#}
{% macro contract_tables() %}
    {{ return(raw_data_contract() | sort(attribute='name')) }}
{% endmacro %}


{% macro contract_table(table_name) %}
    {% for table in contract_tables() if table.name == table_name %}
        {{ return(table) }}
    {% endfor %}
    {% do exceptions.raise_compiler_error(
        'no contract table named ' ~ table_name) %}
{% endmacro %}


{#-
    The first value check of rule 3 that a row fails, as
    '<reason>:<column>', or null. The checks are taken in the contract's
    order (a required value missing, then a value of the wrong type, then a
    word outside its list, then a number out of its range), each over the
    columns in contract order. Reads the raw columns and their typed values
    (`<column>__typed`, from merge_exact_duplicates): a value is of the wrong
    type when its text is there and its typed value is not.
-#}
{% macro contract_value_breach(table_name) %}
    {% set columns = contract_table(table_name).columns %}
    case
    {%- for column in columns if column.is_required %}
        when {{ column.name }} is null then 'missing_value:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.type != 'text' %}
        when {{ column.name }} is not null and {{ column.name }}__typed is null
            then 'invalid_type:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.get('allowed') %}
        when {{ column.name }} not in (
            {%- for word in column.get('allowed') %}'{{ word }}'
            {%- if not loop.last %}, {% endif %}{% endfor -%}
        ) then 'not_allowed:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.get('check') %}
        {%- set value = column.name ~ '__typed' %}
        {%- if column['check'] == 'score_0_10' %}
        when {{ value }} not between 0 and 10
            then 'not_allowed:{{ column.name }}'
        {%- elif column['check'] == 'positive' %}
        when {{ value }} <= 0 then 'not_positive:{{ column.name }}'
        {%- elif column['check'] == 'non_negative' %}
        when {{ value }} < 0 then 'negative_amount:{{ column.name }}'
        {%- elif column['check'] == 'rate' %}
        when {{ value }} not between 0 and 1
            then 'rate_out_of_range:{{ column.name }}'
        {%- endif %}
    {%- endfor %}
    end
{% endmacro %}
