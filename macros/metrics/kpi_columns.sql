{#-
    The headline figures of report-json.md, in its order, with the windows
    in force (var attribution_windows) in their names. The marts that list
    figures select these columns, so that a new figure is added in one place.
    `scope`: 'member' for the figures every breakdown has, 'campaign' for all
    of them (incrementality, budget variance and forecast error exist for a
    campaign as a whole only).
-#}
{% macro kpi_columns(scope='campaign') %}
    {% set windows = var('attribution_windows') %}
    {% set columns = [
        'units_shipped', 'units_delivered', 'delivered_recipients',
        'delivered_codes', 'respondents', 'delivery_rate', 'activation_rate',
        'qr_scan_rate', 'redemption_rate', 'median_days_to_activation',
    ] %}
    {% for prefix in ['leads', 'qualified_leads', 'lead_rate'] %}
        {% for window in windows %}
            {% do columns.append(prefix ~ '_' ~ window ~ 'd') %}
        {% endfor %}
    {% endfor %}
    {% do columns.append('tracking_share') %}
    {% for window in windows %}
        {% do columns.append('conversions_' ~ window ~ 'd') %}
    {% endfor %}
    {% do columns.append('late_conversions') %}
    {% for prefix in ['conversion_rate', 'revenue', 'pipeline', 'roi'] %}
        {% for window in windows %}
            {% do columns.append(prefix ~ '_' ~ window ~ 'd') %}
        {% endfor %}
    {% endfor %}
    {% if scope == 'campaign' %}
        {% for prefix in ['incremental_lift', 'incremental_leads',
            'incremental_cpl'] %}
            {% for window in windows %}
                {% do columns.append(prefix ~ '_' ~ window ~ 'd') %}
            {% endfor %}
        {% endfor %}
    {% endif %}
    {% do columns.extend(['item_cost', 'logistics_cost', 'total_cost']) %}
    {% if scope == 'campaign' %}
        {% do columns.append('budget_variance') %}
    {% endif %}
    {% do columns.extend([
        'logistics_cost_per_unit', 'cost_per_delivered_recipient']) %}
    {% for prefix in ['cpl', 'qualified_cpl'] %}
        {% for window in windows %}
            {% do columns.append(prefix ~ '_' ~ window ~ 'd') %}
        {% endfor %}
    {% endfor %}
    {% do columns.extend([
        'nps', 'response_rate', 'return_rate', 'defect_rate']) %}
    {% if scope == 'campaign' %}
        {% do columns.append('forecast_wape_units') %}
    {% endif %}
    {{ return(columns) }}
{% endmacro %}
