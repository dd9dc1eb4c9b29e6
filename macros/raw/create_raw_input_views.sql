{#-
    Runs at the start of every dbt invocation (on-run-start). It gives each
    table of the contract one view in the raw-input schema, with exactly the
    contract's columns, all as text, empty fields as null, wherever the data
    lives:

    - files mode (var raw_mode = 'files', DuckDB only): <raw data folder>/
      <table>.csv or <table>.parquet, read in place; the folder is var
      raw_data_dir, else the environment's GOODIES_DATA_DIR, else data/raw.
      Header names match case-insensitively, extra columns are ignored, and
      a CSV line that is not a well-formed record stops the build with
      DuckDB's error, which names the file and the line.
    - warehouse mode (raw_mode = 'warehouse'): the table of that name in
      raw_schema (and raw_database), cast to text.

    An absent optional table becomes an empty view with its columns; an
    absent required table, or a missing contract column, stops the run with
    a message naming the file or table. The view raw_table_inventory records
    which tables were found, so that figures that need an absent table can be
    reported as not available.
-#}

{% macro create_raw_input_views() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set mode = var('raw_mode') %}
    {% if mode not in ['files', 'warehouse'] %}
        {% do exceptions.raise_compiler_error(
            "var raw_mode is '" ~ mode
            ~ "'; expected 'files' or 'warehouse'") %}
    {% endif %}
    {% if mode == 'files' and target.type != 'duckdb' %}
        {% do exceptions.raise_compiler_error(
            "files mode reads files with DuckDB, but target '" ~ target.name
            ~ "' is " ~ target.type ~ ": load the files into a raw schema and"
            ~ " use raw_mode 'warehouse'") %}
    {% endif %}

    {% set schema = raw_input_schema() %}
    {% do run_query('create schema if not exists ' ~ schema) %}

    {% set raw_columns = raw_warehouse_columns() if mode == 'warehouse' %}
    {% set inventory = [] %}
    {% for table in contract_tables() %}
        {% if mode == 'files' %}
            {% set found = raw_file_select(table) %}
        {% else %}
            {% set found = raw_warehouse_select(table, raw_columns) %}
        {% endif %}
        {% set select_sql = found.sql or empty_raw_select(table) %}
        {% do replace_raw_view(
            schema, table.name, select_sql,
            table.columns | map(attribute='name') | list) %}
        {% do inventory.append(
            "('" ~ table.name ~ "', " ~ (table.is_required | string | lower)
            ~ ", " ~ (found.sql is not none | string | lower) ~ ", '"
            ~ (found.location | replace("'", "''")) ~ "')") %}
    {% endfor %}

    {% set inventory_sql %}
        select
            cast(table_name as {{ dbt.type_string() }}) as table_name,
            is_required,
            is_present,
            cast(location as {{ dbt.type_string() }}) as location
        from (values {{ inventory | join(', ') }})
            as inventory (table_name, is_required, is_present, location)
    {% endset %}
    {% do replace_raw_view(
        schema, 'raw_table_inventory', inventory_sql,
        ['table_name', 'is_required', 'is_present', 'location']) %}
    {{ return('') }}
{% endmacro %}


{#-
    A view is replaced in place rather than dropped: dropping it would take
    the staging views that read it along (cascade) while dbt, which listed
    the relations before this hook, still counts them as present, so the
    build would fail on them. PostgreSQL replaces a view only when its
    columns keep their names and order, which holds unless the contract
    itself changed; only then is the old view dropped first.
-#}
{% macro replace_raw_view(schema, name, select_sql, column_names) %}
    {{ return(adapter.dispatch('replace_raw_view', 'goodies')(
        schema, name, select_sql, column_names)) }}
{% endmacro %}

{% macro default__replace_raw_view(schema, name, select_sql, column_names) %}
    {% set existing = run_query(
        "select column_name from information_schema.columns"
        ~ " where table_schema = '" ~ schema | replace("'", "''") ~ "'"
        ~ " and table_name = '" ~ name ~ "' order by ordinal_position"
    ).columns[0].values() | list %}
    {% if existing and existing != column_names %}
        {% do run_query(
            'drop view if exists ' ~ schema ~ '.' ~ name ~ ' cascade') %}
    {% endif %}
    {% do run_query(
        'create or replace view ' ~ schema ~ '.' ~ name
        ~ ' as ' ~ select_sql) %}
{% endmacro %}

{% macro duckdb__replace_raw_view(
    schema, name, select_sql, column_names
) %}
    {% do run_query(
        'create or replace view ' ~ schema ~ '.' ~ name
        ~ ' as ' ~ select_sql) %}
{% endmacro %}

{#- Spark replaces a view whatever its columns were. -#}
{% macro spark__replace_raw_view(schema, name, select_sql, column_names) %}
    {% do run_query(
        'create or replace view ' ~ schema ~ '.' ~ name
        ~ ' as ' ~ select_sql) %}
{% endmacro %}


{% macro empty_raw_select(table) %}
    {% set columns = [] %}
    {% for column in table.columns %}
        {% do columns.append(
            'cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column.name) %}
    {% endfor %}
    {{ return('select ' ~ columns | join(', ') ~ ' where 1 = 0') }}
{% endmacro %}


{#- Select every contract column from `relation_sql`, as text. -#}
{% macro contract_text_select(table, relation_sql, found_columns, where) %}
    {% set missing = [] %}
    {% for column in table.columns
        if column.name not in found_columns %}
        {% do missing.append(column.name) %}
    {% endfor %}
    {% if missing %}
        {% do exceptions.raise_compiler_error(
            where ~ ' lacks the contract column(s) ' ~ missing | join(', ')) %}
    {% endif %}
    {% set columns = [] %}
    {% for column in table.columns %}
        {% do columns.append(
            'nullif(cast(' ~ adapter.quote(found_columns[column.name])
            ~ ' as ' ~ dbt.type_string() ~ "), '') as " ~ column.name) %}
    {% endfor %}
    {{ return('select ' ~ columns | join(', ') ~ ' from ' ~ relation_sql) }}
{% endmacro %}


{#- Returns {sql, location}; sql is none when the file is absent. -#}
{% macro raw_file_select(table) %}
    {% set folder_name = raw_data_folder() %}
    {% set folder = folder_name | replace("'", "''") %}
    {% set base = folder ~ '/' ~ table.name %}
    {% set found = run_query(
        "select (select count(*) from glob('" ~ base ~ ".csv')),"
        ~ " (select count(*) from glob('" ~ base ~ ".parquet'))").rows[0] %}
    {% set has_csv = found[0] > 0 %}
    {% set has_parquet = found[1] > 0 %}

    {% if has_csv and has_parquet %}
        {% do exceptions.raise_compiler_error(
            'both ' ~ base ~ '.csv and ' ~ base ~ '.parquet exist: keep one') %}
    {% elif not has_csv and not has_parquet %}
        {% if table.is_required %}
            {% set folder_found = run_query(
                "select count(*) from glob('" ~ folder ~ "/*')").rows[0][0] %}
            {% if folder_found == 0 %}
                {% do exceptions.raise_compiler_error(
                    'raw data folder ' ~ folder_name
                    ~ ' is missing or empty') %}
            {% endif %}
            {% do exceptions.raise_compiler_error(
                'required file missing: ' ~ base ~ '.csv (or '
                ~ table.name ~ '.parquet)') %}
        {% endif %}
        {{ return({'sql': none, 'location': base ~ '.csv'}) }}
    {% endif %}

    {% if has_parquet %}
        {% set path = base ~ '.parquet' %}
        {% set reader = "read_parquet('" ~ path ~ "')" %}
        {% set names = run_query(
            'select column_name from (describe select * from '
            ~ reader ~ ')').columns[0].values() %}
        {% set read_as = names %}
    {% else %}
        {% set path = base ~ '.csv' %}
        {% set names = csv_header(path) %}
        {#- Columns are read by position under names of ours: a header may
            hold empty or repeated names, which DuckDB cannot take as
            column names, and such extra columns are to be ignored. -#}
        {% set typed = [] %}
        {% set read_as = [] %}
        {% for name in names %}
            {% do typed.append("'column_" ~ loop.index ~ "': 'VARCHAR'") %}
            {% do read_as.append('column_' ~ loop.index) %}
        {% endfor %}
        {% set reader %}
            read_csv('{{ path }}', header = true, auto_detect = false,
                columns = { {{- typed | join(', ') -}} },
                delim = ',', quote = '"', escape = '"', strict_mode = true,
                null_padding = false, encoding = 'utf-8')
        {% endset %}
    {% endif %}

    {% set found_columns = {} %}
    {% for name in names %}
        {% do found_columns.setdefault(name | lower, read_as[loop.index0]) %}
    {% endfor %}
    {{ return({
        'sql': contract_text_select(table, reader, found_columns, path),
        'location': path,
    }) }}
{% endmacro %}


{#-
    The header of a CSV file, read as a single line so that a malformed
    file still tells its column names (the reader proper then reports the
    first bad line).
-#}
{% macro csv_header(path) %}
    {% set first = run_query(
        "select line from read_csv('" ~ path ~ "', header = false,"
        ~ " auto_detect = false, columns = {'line': 'VARCHAR'},"
        ~ " delim = '\x1f', quote = '', escape = '', strict_mode = false)"
        ~ " limit 1").rows %}
    {% if not first or not first[0][0] %}
        {% do exceptions.raise_compiler_error(
            path ~ ' is empty: a header row is required') %}
    {% endif %}
    {% set line = first[0][0] | replace('\ufeff', '') | replace('\r', '') %}
    {% set names = [] %}
    {% for name in csv_fields(line) %}
        {% do names.append(name | trim) %}
    {% endfor %}
    {{ return(names) }}
{% endmacro %}


{#-
    The fields of one CSV line by RFC 4180: a comma inside quotes belongs to
    its field, the quotes around a field are dropped and a doubled quote
    within them is one quote.
-#}
{% macro csv_fields(line) %}
    {% set state = namespace(field='', quoted=false, fields=[]) %}
    {% for char in line %}
        {% if state.quoted and char == '"' %}
            {% set state.quoted = false %}
        {% elif state.quoted %}
            {% set state.field = state.field ~ char %}
        {% elif char == '"' %}
            {% if loop.previtem == '"' %}
                {% set state.field = state.field ~ char %}
            {% endif %}
            {% set state.quoted = true %}
        {% elif char == ',' %}
            {% do state.fields.append(state.field) %}
            {% set state.field = '' %}
        {% else %}
            {% set state.field = state.field ~ char %}
        {% endif %}
    {% endfor %}
    {% do state.fields.append(state.field) %}
    {{ return(state.fields) }}
{% endmacro %}


{#-
    The raw schema's tables and columns come from information_schema rather
    than adapter.get_relation, whose lookup leaves a transaction open in the
    hook and so rolls back the views created after it.
-#}
{% macro raw_warehouse_columns() %}
    {{ return(adapter.dispatch('raw_warehouse_columns', 'goodies')()) }}
{% endmacro %}

{% macro default__raw_warehouse_columns() %}
    {% set database = var('raw_database') or target.database or none %}
    {% set found = run_query(
        "select lower(table_name), column_name"
        ~ " from information_schema.columns"
        ~ " where lower(table_schema) = lower('"
        ~ var('raw_schema') | replace("'", "''") ~ "')"
        ~ " and lower(table_catalog) = lower('"
        ~ database | replace("'", "''") ~ "')"
        ~ " order by ordinal_position") %}
    {% set tables = {} %}
    {% for row in found.rows %}
        {% set columns = tables.setdefault(row[0], {}) %}
        {% do columns.setdefault(row[1] | lower, row[1]) %}
    {% endfor %}
    {{ return(tables) }}
{% endmacro %}

{#-
    Spark's session catalog has no information_schema: the contract's tables
    are looked for among the raw schema's tables, and their columns read
    with describe (no partition columns: the loader writes none).
-#}
{% macro spark__raw_warehouse_columns() %}
    {% set schema = var('raw_schema') | lower %}
    {% set schemas = run_query('show schemas').columns[0].values()
        | map('lower') | list %}
    {% set tables = {} %}
    {% if schema not in schemas %}{{ return(tables) }}{% endif %}
    {% set found = run_query('show tables in ' ~ schema) %}
    {% set contract_names = contract_tables()
        | map(attribute='name') | list %}
    {% for row in found.rows if not row['isTemporary']
        and row['tableName'] | lower in contract_names %}
        {% set columns = tables.setdefault(row['tableName'] | lower, {}) %}
        {% set described = namespace(done=false) %}
        {% for column in run_query(
            'describe ' ~ schema ~ '.' ~ row['tableName']).rows %}
            {#- the columns end where describe's sections begin -#}
            {% if not column[0] or column[0].startswith('#') %}
                {% set described.done = true %}
            {% endif %}
            {% if not described.done %}
                {% do columns.setdefault(column[0] | lower, column[0]) %}
            {% endif %}
        {% endfor %}
    {% endfor %}
    {{ return(tables) }}
{% endmacro %}


{% macro raw_warehouse_select(table, raw_columns) %}
    {% set database = var('raw_database') or target.database or none %}
    {% set location = var('raw_schema') ~ '.' ~ table.name %}
    {% if table.name not in raw_columns %}
        {% if table.is_required %}
            {% do exceptions.raise_compiler_error(
                'required table missing: ' ~ location) %}
        {% endif %}
        {{ return({'sql': none, 'location': location}) }}
    {% endif %}
    {% set relation = api.Relation.create(
        database=database, schema=var('raw_schema'), identifier=table.name) %}
    {{ return({
        'sql': contract_text_select(
            table, relation | string, raw_columns[table.name], location),
        'location': location,
    }) }}
{% endmacro %}


{#- The folder of the raw files in files mode (see run_setting). -#}
{% macro raw_data_folder() %}
    {{ return(run_setting('raw_data_dir', 'GOODIES_DATA_DIR', 'data/raw')) }}
{% endmacro %}
