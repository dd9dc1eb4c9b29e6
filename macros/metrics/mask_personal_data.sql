{#-
    A free-text expression with every e-mail address replaced by `[email]`
    and every phone number by `[phone]` (metrics.md: comments are shown with
    both masked).

    Phone numbers, as written in French and English comments:
    - international: +33 6 12 34 56 78, +33 (0)6 12 34 56 78,
      +1 415 555 0100, +44 20 7946 0958 (a + and a country code, then 7 to
      17 more digits in groups);
    - French national: 06 12 34 56 78, 06.12.34.56.78, 0612345678;
    - North American: (555) 123-4567, 555-123-4567, 555.123.4567, with or
      without +1.
    A match must not touch another digit on either side, so prices
    (12,50 €), years (2026), dates (15/01/2026), scores (9/10) and long
    reference numbers stay as written.

    The patterns use only what RE2 (DuckDB) and PostgreSQL's regular
    expressions read alike: bracket classes instead of escapes, no \b, no
    lookaround, non-capturing groups. The digit before and after a number is
    matched as `(^|[^0-9])` and `([^0-9]|$)` and put back with \1 and \2;
    since one character cannot end a match and start the next, each phone
    pattern is applied twice, for numbers one character apart.
-#}
{% macro mask_personal_data(expr) -%}
    {%- set email = '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*'
        ~ '[.][A-Za-z]{2,}' -%}
    {%- set sep = '[ .-]?' -%}
    {%- set phones = [
        '[+][0-9]{1,3}' ~ sep ~ '(?:[(]0[)]' ~ sep ~ ')?[0-9]{1,4}'
            ~ '(?:' ~ sep ~ '[0-9]{2,4}){2,5}',
        '0[1-9](?:' ~ sep ~ '[0-9]{2}){4}',
        '(?:[+]1' ~ sep ~ ')?(?:[(][0-9]{3}[)] ?|[0-9]{3}[ .-])'
            ~ '[0-9]{3}[ .-][0-9]{4}',
    ] -%}
    {%- set sql = namespace(
        text=regexp_replace_all(expr, email, '[email]')
    ) -%}
    {%- for phone in phones -%}
        {%- for attempt in [1, 2] -%}
            {%- set sql.text = regexp_replace_all(
                sql.text, '(^|[^0-9])' ~ phone ~ '([^0-9]|$)',
                '\\1[phone]\\2') -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ sql.text }}
{%- endmacro %}


{#-
    Every match of `pattern` in `expr` replaced by `replacement`, where \1 to
    \9 stand for the pattern's groups. Neither text may hold a quote.
-#}
{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'goodies')(
        expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- Spark replaces every match and writes a group as $1. -#}
{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    {%- set text = namespace(value=replacement) -%}
    {%- for group in range(1, 10) -%}
        {%- set text.value = text.value | replace(
            '\\' ~ group, '$' ~ group) -%}
    {%- endfor -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ text.value }}')
{%- endmacro %}
