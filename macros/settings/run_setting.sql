{#-
    A setting of the run (the raw data folder, the as_of date): the var of
    that name when it is set, else the environment variable, else the
    default. Read only when the run executes, never while dbt parses.

    Why: dbt parses the whole project again, about six seconds here, when
    any command-line var changes, and goodies-report's date (today unless
    asked) and data folder change from one run to the next. An environment
    variable read at execution leaves the saved parse valid; one read while
    parsing would make dbt parse again every file that read it.
-#}
{% macro run_setting(var_name, env_name, default=none) -%}
    {%- if not execute -%}
        {{ return(default) }}
    {%- endif -%}
    {%- set from_var = var(var_name, none) -%}
    {%- if from_var is not none and from_var | string | length > 0 -%}
        {{ return(from_var) }}
    {%- endif -%}
    {%- set from_env = env_var(env_name, '') -%}
    {{ return(from_env if from_env | length > 0 else default) }}
{%- endmacro %}
