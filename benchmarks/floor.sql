-- The floor of `ptce run` (issue #16): the same curated aggregates, from the same raw CSV files, in one
-- DuckDB script with nothing but what ships in the duckdb wheel (no INSTALL, no extension).
--
-- What it computes, as the pipeline does (and `benchmarks/floor.py` checks that the results agree):
--   * the indicator values of every CSV under raw/indicateurs/ (long or wide tables, headers found
--     under title rows, pole by column, « Pôle : … » title or file name, periods `2016`, `T3 2016`,
--     `2016-T3`, `3e trimestre 2016`, French numbers), the rows the pipeline would quarantine left out,
--     the latest file for each pole and period kept (arrival order = modification time, as the
--     arrival register records it), then `mart_pole_year` and `mart_network_year`;
--   * the stays of every CSV under raw/parcours/, pseudonymised, the latest version of each stay,
--     pathways (internal moves within `gap_days`), then `pathway_indicators`.
-- Stand-ins, said in BENCHMARKS.md: the pseudonym is sha256(pole, identifier) (the pipeline uses
-- HMAC-SHA256 with a secret key, which DuckDB has no function for); exit reasons are classified by
-- the product's own rule engine over the distinct texts (step `fl_exit_texts`, done in Python by
-- the driver and counted in the floor's time), not re-implemented here.
-- Not covered (none of them occurs in `ptce sample` data): multi-line quoted cells, merged cells,
-- UTF-16 files, birth dates typed as two-digit years, Excel serial dates in CSV files.
--
-- Inputs, set by the driver: variables raw_dir, extra_dir (workbooks saved as CSV, demo only),
-- today, gap_days, cp1252 (the 256 characters of Windows-1252), missing (missing-value markers),
-- and the reference tables ref_* (poles, catalogue, header aliases) built from ptce/reference.
-- Statements are separated by `-- @step NAME` lines; the driver times each step.

-- @step macros
-- Python's str.strip() as far as the data need it: spaces (a cell edged with tabs or non-breaking
-- spaces is not trimmed: four times slower, and never in the files of `ptce sample`).
create or replace macro ptrim(s) as trim(s);
-- @step macro_nkey
create or replace macro nkey(s) as regexp_replace(
    lower(strip_accents(replace(replace(replace(replace(coalesce(s, ''), 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'))),
    '[^0-9a-z]+', '', 'g');
-- @step macro_missing
create or replace macro is_missing(s) as
    s is null or ptrim(s) in ('-', '–', '—', '?', '/', 'x') or list_contains(getvariable('missing'), nkey(ptrim(s)));
-- @step macro_period
-- (year, quarter) of a period cell, or NULL when it is not one.
create or replace macro period_of(s) as (
    with c as (select upper(regexp_replace(strip_accents(coalesce(s, '')), '\s+', '', 'g')) as t)
    select case
        when regexp_full_match(t, '(19|20)\d{2}') then {'y': t::int, 'q': null::int}
        when regexp_full_match(t, '((19|20)\d{2})[-_/]*[TQ]([1-4])')
            then {'y': regexp_extract(t, '^(\d{4})', 1)::int, 'q': regexp_extract(t, '([1-4])$', 1)::int}
        when regexp_full_match(t, '[TQ]([1-4])[-_/]*((19|20)\d{2})')
            then {'y': regexp_extract(t, '(\d{4})$', 1)::int, 'q': regexp_extract(t, '^[TQ]([1-4])', 1)::int}
        when regexp_full_match(t, '([1-4])(ER|E|EME|ND)?TRIMESTRE[-_/]*((19|20)\d{2})')
            then {'y': regexp_extract(t, '(\d{4})$', 1)::int, 'q': regexp_extract(t, '^([1-4])', 1)::int}
        when regexp_full_match(t, 'TRIMESTRE([1-4])[-_/]*((19|20)\d{2})')
            then {'y': regexp_extract(t, '(\d{4})$', 1)::int, 'q': regexp_extract(t, '^TRIMESTRE([1-4])', 1)::int}
        when regexp_full_match(t, '((19|20)\d{2})[-_/]*TRIMESTRE([1-4])')
            then {'y': regexp_extract(t, '^(\d{4})', 1)::int, 'q': regexp_extract(t, '([1-4])$', 1)::int}
    end from c);
-- @step macro_period_ok
-- A period the pipeline accepts for an actual value: from 2010, never after the current quarter.
create or replace macro period_ok(p) as
    p is not null and p.y >= 2010 and (p.y < year(getvariable('today'))
        or (p.y = year(getvariable('today')) and (p.q is null or p.q <= quarter(getvariable('today')))));
-- @step macro_number
-- A French-written number as `parse_number` reads it (NULL when it cannot), before unit checks.
create or replace macro num_core(s) as (
    with a as (select regexp_replace(replace(ptrim(s), '−', '-'), '^\((.*)\)$', '-\1') as t),
    b as (select t, regexp_matches(t, '[\s\x{00a0}\x{202f}\x{2007}\x{2009}'']') as spaced from a),
    c as (select case
            when not spaced then t
            when regexp_full_match(regexp_replace(t, '^[+-]', ''),
                 '\d{1,3}([\s\x{00a0}\x{202f}\x{2007}\x{2009}'']+\d{3})*[\s\x{00a0}\x{202f}\x{2007}\x{2009}'']+\d{3}([.,]\d*)?%?')
                then regexp_replace(t, '[\s\x{00a0}\x{202f}\x{2007}\x{2009}'']', '', 'g')
          end as t from b),
    d as (select ltrim(rtrim(t, '%'), '+') as t, t like '%\%' escape '\' as pct from c where t is not null),
    e as (select pct, case
            when t like '%,%' and t like '%.%' then
                case when strpos(reverse(t), ',') < strpos(reverse(t), '.')
                     then replace(replace(t, '.', ''), ',', '.') else replace(t, ',', '') end
            when length(t) - length(replace(t, ',', '')) = 1 then replace(t, ',', '.')
            when length(t) - length(replace(t, ',', '')) > 1 then
                case when regexp_full_match(t, '-?\d{1,3}(,\d{3})+') then replace(t, ',', '') end
            when length(t) - length(replace(t, '.', '')) > 1 then
                case when regexp_full_match(t, '-?\d{1,3}(\.\d{3})+') then replace(t, '.', '') end
            else t end as t from d)
    select case when regexp_full_match(t, '-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?')
                then {'v': t::double / case when pct then 100 else 1 end, 'pct': pct} end
    from e);
-- @step macro_ambiguous
-- Numbers whose reading would be a guess (`reading_problem`): scientific notation, a `%` on a count,
-- `1.234` in a French file, `1,234` in a comma-separated one.
create or replace macro num_ambiguous(s, decimal_comma, percent_unit) as (
    with a as (select ltrim(regexp_replace(regexp_replace(regexp_replace(replace(ptrim(s), '−', '-'),
                   '[\s\x{00a0}\x{202f}\x{2007}\x{2009}'']', '', 'g'), '^\((.*)\)$', '\1'), '^\+', ''), '+-') as t)
    select regexp_full_match(t, '(\d+([.,]\d*)?|[.,]\d+)[eE][-+]?\d+%?')
        or (t like '%\%' escape '\' and not percent_unit)
        or (decimal_comma and regexp_full_match(t, '[1-9]\d{0,2}\.\d{3}%?'))
        or (not decimal_comma and regexp_full_match(t, '[1-9]\d{0,2},\d{3}%?'))
    from a);

-- @step fl_files
-- Every CSV of the three kinds the floor reads; hidden and Office temporary files are not data.
create or replace table fl_files as
with f as (
    select filename as path, content, date_trunc('second', last_modified::timestamp) as arrived
    from read_blob([
        getvariable('raw_dir') || '/indicateurs/*.csv', getvariable('raw_dir') || '/parcours/*.csv',
        getvariable('raw_dir') || '/poles/*.csv',
        getvariable('extra_dir') || '/indicateurs/*.csv', getvariable('extra_dir') || '/parcours/*.csv'])
)
select path, content, arrived,
       regexp_extract(path, '/([a-z]+)/[^/]+$', 1) as kind,
       'raw/' || regexp_extract(path, '/([a-z]+)/[^/]+$', 1) || '/'
           || regexp_replace(regexp_extract(path, '/([^/]+)$', 1), '\.xlsx(\.\d+)?\.csv$', '.xlsx') as source_file,
       regexp_replace(regexp_replace(regexp_extract(path, '/([^/]+)$', 1), '(\.xlsx(\.\d+)?)?\.csv$', ''), '\.xlsx$', '') as stem,
       path like '%.xlsx%.csv' as workbook
from f
where regexp_extract(path, '/([^/]+)$', 1) not similar to '(\.|~\$).*';

-- @step fl_text
-- Bytes to text: UTF-8 (with or without BOM) when valid, else Windows-1252, byte by byte (the
-- blob's text form escapes every non-ASCII byte as \xHH: each escape is replaced by its character).
create or replace table fl_text as
with d as (select *, try(decode(content)) as utf8 from fl_files)
select path, kind, source_file, stem, arrived, workbook,
       case when utf8 is not null then ltrim(utf8, chr(65279))
            else array_to_string(list_transform(string_split(content::varchar, '\x'),
                 lambda c, i: case when i = 1 then c
                                   else getvariable('cp1252')[('0x' || c[1:2])::int + 1] || c[3:] end), '')
       end as text
from d;

-- @step fl_lines
-- One row per physical line (its number is the row number the pipeline reports), with the file's
-- separator: the one most frequent on its first lines.
create or replace table fl_lines as
with s as (
    select path, kind, source_file, stem, arrived, workbook, string_split(text, chr(10)) as ls from fl_text
),
l as (
    select path, kind, source_file, stem, arrived, workbook,
           generate_subscripts(ls, 1)::int as line_no, rtrim(unnest(ls), chr(13)) as line
    from s
),
d as (
    select path,
           case when sum(length(line) - length(replace(line, ',', '')))
                     > sum(length(line) - length(replace(line, ';', ''))) then ',' else ';' end as delim
    from l where line_no <= 5 group by path
)
select l.*, d.delim from l join d using (path);

-- @step fl_records
-- Lines split into cells (quoted cells unquoted); blank lines dropped, as the CSV reader does.
create or replace table fl_records as
with s as (
    select path, kind, source_file, stem, arrived, workbook, delim, line_no,
           case when strpos(line, '"') = 0 then string_split(line, delim)
                else list_transform(
                    case delim when ';' then regexp_extract_all(line, '(?:^|;)("(?:[^"]|"")*"|[^;]*)', 1)
                               else regexp_extract_all(line, '(?:^|,)("(?:[^"]|"")*"|[^,]*)', 1) end,
                    lambda f: case when length(f) >= 2 and f[1] = '"' and f[-1] = '"'
                                   then replace(f[2:-2], '""', '"') else f end)
           end as cells
    from fl_lines where ptrim(translate(line, ';,"' || chr(9), '')) <> ''
)
select * from s;

-- @step fl_head
-- The first non-empty rows of each file, numbered (headers are looked for in the first 20, as
-- the parsers do; a file would need 20 blank lines on top for the 40 lines kept here to fall short).
create or replace table fl_head as
select *, row_number() over (partition by path order by line_no) as rec from fl_records where line_no <= 40;

-- @step fl_pole_files
-- The member poles: the twelve shipped ones, amended or extended by raw/poles/ files (a later file
-- wins field by field, an empty cell keeps the value), then every key a pole is known by.
create or replace table fl_poles as
with cells as (
    select r.path, r.arrived, r.source_file, r.line_no, r.line_no = h.line_no as is_header,
           unnest(r.cells) as cell, generate_subscripts(r.cells, 1) as col
    from fl_records r join fl_head h on h.path = r.path and h.rec = 1 and r.line_no >= h.line_no
    where r.kind = 'poles'
),
hdr as (select path, col, nkey(cell) as key from cells where is_header),
body as (select path, arrived, source_file, line_no, col, ptrim(cell) as cell from cells where not is_header),
wide as (
    select b.path, b.arrived, b.source_file, b.line_no,
           max(case when h.key = 'identifiant' then b.cell end) as pole_id,
           max(case when h.key = 'numero' then b.cell end) as numero,
           max(case when h.key = 'nom' then b.cell end) as nom,
           max(case when h.key = 'nomsusuels' then b.cell end) as noms_usuels
    from body b join hdr h using (path, col)
    group by all
),
amend as (
    select lower(ptrim(pole_id)) as pole_id,
           last(nullif(numero, '') order by arrived, source_file, line_no) filter (where nullif(numero, '') is not null) as numero,
           last(nullif(nom, '') order by arrived, source_file, line_no) filter (where nullif(nom, '') is not null) as nom,
           last(nullif(noms_usuels, '') order by arrived, source_file, line_no) filter (where nullif(noms_usuels, '') is not null) as noms_usuels
    from wide where nullif(pole_id, '') is not null group by 1
)
select coalesce(p.pole_id, a.pole_id) as pole_id,
       coalesce(try_cast(a.numero as int), p.numero) as numero,
       coalesce(a.nom, p.nom) as nom,
       coalesce(list_transform(string_split(a.noms_usuels, '|'), lambda x: ptrim(x)), p.noms_usuels) as noms_usuels
from ref_poles p full outer join amend a using (pole_id);

-- @step fl_pole_index
-- PoleMatcher's index: id, name and usual names, each also without a « PTCE » / « Pôle » prefix,
-- and the number (7 and 07); on a clash the pole with the smaller number wins, as setdefault does.
create or replace table fl_pole_index as
with names as (
    select pole_id, numero, unnest(list_concat([pole_id, nom], coalesce(noms_usuels, []))) as name from fl_poles
),
keys as (
    select pole_id, numero, nkey(name) as key from names
    union all
    select n.pole_id, n.numero, nkey(n.name)[length(p.prefix) + 1:]
    from names n join ref_pole_prefix p on starts_with(nkey(n.name), p.prefix)
        and length(nkey(n.name)) > length(p.prefix) + 2
    union all select pole_id, numero, numero::varchar from fl_poles
    union all select pole_id, numero, lpad(numero::varchar, 2, '0') from fl_poles
)
select key, arg_min(pole_id, numero) as pole_id from keys where key <> '' group by key;

-- @step fl_headers
-- The first of a file's first 20 non-empty rows that reads as its table's header, with each
-- column's role (header aliases of the pipeline's parsers) or indicator code.
create or replace table fl_header_cells as
with u as (
    select path, kind, rec, line_no, unnest(cells) as cell, generate_subscripts(cells, 1) as col
    from fl_head where kind in ('indicateurs', 'parcours') and rec <= 20
),
k as (select cell, ptrim(cell) as trimmed, nkey(cell) as key from (select distinct cell from u)),
c as (select u.path, u.kind, u.rec, u.line_no, u.col::int as col, k.trimmed as cell, k.key
      from u join k on k.cell is not distinct from u.cell)
select c.*, ro.role, case when c.kind = 'indicateurs' then ik.code end as code
from c
left join ref_roles ro on ro.kind = c.kind and ro.key = c.key
left join ref_indicator_keys ik on ik.key = c.key
where c.cell <> '';
-- @step fl_header_roles
create or replace table fl_header_roles as
with assigned as (
    select path, kind, rec, line_no, col, key,
           case when role is not null and not (role = 'indicateur' and code is not null) then role end as role,
           case when not (role is not null and not (role = 'indicateur' and code is not null)) then code end as code
    from fl_header_cells where role is not null or code is not null
),
by_role as (
    select path, rec, role, list(col order by col) as cols,
           list(list_contains(['code', 'codeindicateur'], key) order by col) as is_code
    from assigned where role is not null group by all
),
roles as (
    -- The first column of a role; a second « indicateur » column pairs a code with its label.
    select path, rec, map_from_entries(list({'k': role, 'v': cols[1]})) as roles,
           max(case when role = 'indicateur' and len(cols) >= 2 and is_code[1] <> is_code[2]
                    then case when is_code[1] then cols[1] else cols[2] end end) as code_col,
           max(case when role = 'indicateur' and len(cols) >= 2 and is_code[1] <> is_code[2]
                    then case when is_code[1] then cols[2] else cols[1] end end) as label_col
    from by_role group by all
),
codes as (
    select path, rec, count(distinct code) as n_codes from assigned where code is not null group by all
)
select r.path, r.kind, r.rec, r.line_no, ro.roles, ro.code_col, ro.label_col, coalesce(c.n_codes, 0) as n_codes
from (select distinct path, kind, rec, line_no from assigned) r
left join roles ro using (path, rec) left join codes c using (path, rec);
-- @step fl_header_pick
create or replace table fl_header as
with cand as (
    select *, coalesce(roles['indicateur'] is not null and roles['valeur'] is not null, false) as is_long
    from fl_header_roles
)
select distinct on (c.path) c.path, c.kind, c.rec as header_rec, c.line_no as header_line, c.roles, c.is_long,
       coalesce(c.code_col, c.roles['indicateur']) as ind_col, c.label_col as lab_col,
       len(r.cells) as header_width,
       c.roles['pole'] as pole_col, c.roles['periode'] as periode_col, c.roles['trimestre'] as trimestre_col,
       c.roles['valeur'] as valeur_col, c.roles['identifiant'] as id_col, c.roles['structure'] as structure_col,
       c.roles['date_entree'] as entry_col, c.roles['date_sortie'] as exit_col, c.roles['motif_sortie'] as motif_col,
       c.roles['sexe'] as sex_col, c.roles['date_naissance'] as birth_col, c.roles['tranche_age'] as band_col,
       c.roles['deld'] as deld_col, c.roles['rsa'] as rsa_col, c.roles['qpv'] as qpv_col, c.roles['rqth'] as rqth_col,
       c.roles['heures_formation'] as hours_col, c.roles['certification'] as certif_col
from cand c join fl_head r on r.path = c.path and r.rec = c.rec
where case c.kind
    when 'indicateurs' then
        (c.is_long and (c.roles['periode'] is not null or c.roles['trimestre'] is not null or c.roles['pole'] is not null))
        or (not c.is_long and c.n_codes > 0 and (c.roles['periode'] is not null or c.roles['trimestre'] is not null
            or c.roles['pole'] is not null or c.n_codes >= 3))
    else c.roles['identifiant'] is not null and c.roles['date_entree'] is not null and cardinality(c.roles) >= 3 end
order by c.path, c.rec;
-- @step fl_wide_columns
-- Indicator columns of wide tables (first column of each code).
create or replace table fl_wide_columns as
select h.path, min(c.col) as col, c.code
from fl_header h join fl_header_cells c on c.path = h.path and c.rec = h.header_rec
where h.kind = 'indicateurs' and not h.is_long and c.code is not null
  and not (c.role is not null and not (c.role = 'indicateur' and c.code is not null))
group by all;

-- @step fl_titles
-- What title rows above the header say: « Pôle : PHARES » (one cell, or two), « Année : 2016 ».
create or replace table fl_titles as
with cells as (
    select r.path, r.kind, r.rec, list_filter(list_transform(r.cells, lambda c: ptrim(c)), lambda c: c <> '') as texts
    from fl_head r join fl_header h on h.path = r.path and r.rec < h.header_rec
),
items as (
    select path, kind, rec, texts, unnest(texts) as txt, generate_subscripts(texts, 1) as i from cells
),
pairs as (
    select path, kind, rec, i,
           case when strpos(txt, ':') > 0 then split_part(txt, ':', 1) else txt end as k,
           case when strpos(txt, ':') > 0 then coalesce(nullif(ptrim(txt[strpos(txt, ':') + 1:]), ''), texts[i + 1])
                else texts[i + 1] end as v
    from items
)
select p.path, p.kind, p.rec, p.i, nkey(p.k) as k, p.v from pairs p
left join ref_roles r on r.kind = p.kind and r.role = 'pole' and r.key = nkey(p.k)
where p.v is not null and (list_contains(['annee', 'periode', 'exercice', 'an'], nkey(p.k)) or r.key is not null);

-- @step fl_pole_texts
-- Every text that names a pole: pole cells, title values, file names; PoleMatcher.match and .find
-- are applied once per distinct text.
create or replace table fl_pole_texts as
with t as (
    select distinct ptrim(r.cells[h.pole_col]) as txt
    from fl_records r join fl_header h on h.path = r.path and r.line_no > h.header_line
    where h.pole_col is not null
    union select v from fl_titles where k not in ('annee', 'periode', 'exercice', 'an')
    union select stem from fl_files
)
select txt from t where txt is not null and txt <> '';
-- @step fl_pole_match
create or replace table fl_pole_match as
with base as (
    select txt, case when regexp_full_match(txt, '\d+\.0') then regexp_replace(txt, '\.0$', '') else txt end as raw
    from fl_pole_texts
),
-- Pieces find() tries: the whole text, the part before a precision, every run of its first 20 words.
pieces as (
    select txt, raw as piece, 0 as stage from base
    union all
    select txt, split_part(raw, sep, 1), 1 + s.ord from base, (values ('(', 1), (' - ', 2), (' – ', 3), (',', 4), (':', 5), ('/', 6)) as s(sep, ord)
    where strpos(raw, sep) > 0
    union all
    select txt, unnest(flatten(list_transform(range(1, len(w) + 1), lambda a:
               list_transform(range(a, len(w) + 1), lambda b: array_to_string(w[a:b], ' '))))), 10
    from (select txt, list_filter(regexp_split_to_array(raw, '[\s_\-–.()/,:]+'), lambda x: x <> '')[1:20] as w from base)
),
keyed as (
    select txt, piece, stage, nkey(piece) as k,
           -- « 7 - PTCE Bou'Sol »: the number, then the name, which must agree when it is known.
           case when strpos(piece, '-') > 0 and regexp_full_match(ptrim(split_part(piece, '-', 1)), '\d+')
                then ptrim(split_part(piece, '-', 1))::int::varchar end as head,
           case when strpos(piece, '-') > 0 then nkey(piece[strpos(piece, '-') + 1:]) end as tail
    from pieces
),
unprefixed as (
    select distinct k.k, arg_min(i.pole_id, p.ord) over (partition by k.k) as pole_id
    from (select distinct k from keyed) k
    join ref_pole_prefix p on starts_with(k.k, p.prefix)
    join fl_pole_index i on i.key = k.k[length(p.prefix) + 1:]
),
m1 as (
    -- match() without the number-name form: the key, or the key without a prefix.
    select k.txt, k.piece, k.stage, k.k, k.head, k.tail, coalesce(e.pole_id, u.pole_id) as pole_id
    from keyed k left join fl_pole_index e on e.key = k.k left join unprefixed u on u.k = k.k
),
m2 as (
    select m.*, coalesce(m.pole_id, case
        when n.pole_id is not null and (t.pole_id is null or t.pole_id = n.pole_id) then n.pole_id end) as matched
    from m1 m
    left join fl_pole_index n on n.key = m.head
    left join fl_pole_index t on t.key = m.tail
)
select txt,
       max(case when stage = 0 then matched end) as match_pole,
       coalesce(max(case when stage = 0 then matched end),
                arg_min(matched, stage) filter (where stage between 1 and 9 and matched is not null),
                case when count(distinct matched) filter (where stage = 10 and not regexp_full_match(k, '\d*')) = 1
                     then max(matched) filter (where stage = 10 and not regexp_full_match(k, '\d*')) end) as find_pole
from m2 group by txt;

-- @step fl_context
-- Each table's pole and year from its title rows, else (pole) from its file name.
create or replace table fl_context as
with title_pole as (
    select t.path, arg_min(case when h.kind = 'indicateurs' then m.match_pole else coalesce(m.match_pole, m.find_pole) end,
                           t.rec * 1000 + t.i) as pole
    from fl_titles t join fl_header h using (path) join fl_pole_match m on m.txt = t.v
    where t.k not in ('annee', 'periode', 'exercice', 'an')
      and (m.match_pole is not null or (h.kind = 'parcours' and m.find_pole is not null))
    group by t.path
),
title_year as (
    select path, arg_min(period_of(v), rec * 1000 + i) as period from fl_titles
    where k in ('annee', 'periode', 'exercice', 'an') and period_ok(period_of(v)) group by path
),
file_pole as (select f.path, m.find_pole from fl_files f join fl_pole_match m on m.txt = f.stem)
select h.path, h.kind, coalesce(tp.pole, fp.find_pole) as ctx_pole, ty.period as ctx_period
from fl_header h left join title_pole tp using (path) left join title_year ty using (path)
left join file_pole fp using (path);

-- @step fl_ind_body
-- Indicator rows under their header: the cells each role names (a wide row keeps its cells), the
-- table's context; readings are done below once per distinct text, as the parsers memoise them.
create or replace table fl_ind_body as
with body as (
    select r.path, f.source_file, f.arrived, r.line_no, r.cells, r.delim, h.is_long, h.ind_col, h.lab_col,
           h.pole_col, h.periode_col, h.trimestre_col, h.valeur_col, c.ctx_pole, c.ctx_period,
           -- In a comma-separated file a row longer than its header had a decimal comma split a
           -- number in two: refused, unless every row is one empty cell longer (a trailing separator).
           r.delim = ',' and len(r.cells) > h.header_width as too_wide,
           len(r.cells[h.header_width + 1:]) = 0 or trim(array_to_string(r.cells[h.header_width + 1:], '')) = ''
               as extra_empty
    from fl_records r
    join fl_header h on h.path = r.path and r.line_no > h.header_line
    join fl_context c on c.path = r.path
    join fl_files f on f.path = r.path
    where h.kind = 'indicateurs'
)
select path, source_file, arrived, line_no, delim, is_long, ctx_pole, ctx_period,
       pole_col is not null as has_pole, periode_col is not null as has_period, trimestre_col is not null as has_quarter,
       lab_col is not null as has_label,
       ptrim(cells[pole_col]) as c_pole, ptrim(cells[periode_col]) as c_period, ptrim(cells[trimestre_col]) as c_quarter,
       ptrim(cells[ind_col]) as c_ind, ptrim(cells[lab_col]) as c_lab, ptrim(cells[valeur_col]) as c_value,
       case when not is_long then cells end as cells,
       too_wide and not (count(distinct len(cells)) over (partition by path) = 1
                         and bool_and(extra_empty) over (partition by path)) as split_number
from body;
-- @step fl_ind_raw
-- One row per value written: a long row gives one, a wide row one per indicator column.
create or replace table fl_ind_raw as
select path, line_no, c_ind, c_lab, c_value as raw_value, null::varchar as code from fl_ind_body where is_long
union all
select b.path, b.line_no, null, null, ptrim(b.cells[w.col]), w.code
from fl_ind_body b join fl_wide_columns w using (path) where not b.is_long;
-- @step fl_ind_text_facts
create or replace table fl_ind_text_facts as
with t as (
    select distinct unnest([c_pole, c_period, c_quarter]) as t from fl_ind_body
    union select c_ind from fl_ind_raw union select c_lab from fl_ind_raw union select raw_value from fl_ind_raw
)
select t, is_missing(t) as missing, nkey(t) as key, period_of(t) as period,
       regexp_extract(upper(regexp_replace(strip_accents(t), '\s+', '', 'g')),
                      '^(?:[TQ]|TRIMESTRE)?([1-4])(?:ER|E|EME|ND)?(?:TRIMESTRE)?$', 1) as q_text
from t where t is not null;
-- @step fl_ind_coded
-- The indicator of each value: its code (or label) column, checked against a label column.
create or replace table fl_ind_coded as
select r.path, r.line_no, r.raw_value,
       case when b.is_long then coalesce(case when not fi.missing then ki.code end,
                                         case when coalesce(fi.missing, true) then kl.code end)
            else r.code end as code,
       b.is_long and b.has_label and not coalesce(fi.missing, true) and not coalesce(fl.missing, true)
           and kl.code is distinct from ki.code as label_mismatch
from fl_ind_raw r join fl_ind_body b using (path, line_no)
left join fl_ind_text_facts fi on fi.t = r.c_ind left join ref_indicator_keys ki on ki.key = fi.key
left join fl_ind_text_facts fl on fl.t = r.c_lab left join ref_indicator_keys kl on kl.key = fl.key;
-- @step fl_ind_num_facts
-- Each distinct number as written, read for its file's decimal mark and its indicator's unit.
create or replace table fl_ind_num_facts as
with v as (
    select distinct c.raw_value as t, b.delim <> ',' as dc, coalesce(i.pct, false) as pct
    from fl_ind_coded c join fl_ind_body b using (path, line_no) left join ref_indicators i using (code)
    where c.raw_value is not null
)
select t, dc, pct, case when num_ambiguous(t, dc, pct) then null else num_core(t) end as parsed from v;
-- @step fl_ind_rows
-- Each value with its pole, period and reading, and whether the pipeline would refuse its row.
create or replace table fl_ind_cells as
with keyed as (
    select b.path, b.source_file, b.arrived, b.line_no, b.is_long, b.delim, b.split_number,
           case when not b.has_pole then b.ctx_pole when coalesce(fp.missing, true) then null
                else m.match_pole end as pole_id,
           case when not b.has_period then b.ctx_period else fd.period end as p0,
           case when b.has_quarter and not coalesce(fq.missing, true) then fq.q_text end as q_text
    from fl_ind_body b
    left join fl_ind_text_facts fp on fp.t = b.c_pole left join fl_pole_match m on m.txt = b.c_pole
    left join fl_ind_text_facts fd on fd.t = b.c_period left join fl_ind_text_facts fq on fq.t = b.c_quarter
),
periods as (
    select *,
           case when q_text is null then p0
                when q_text = '' or p0 is null or (p0.q is not null and p0.q <> q_text::int) then null
                else {'y': p0.y, 'q': q_text::int} end as period,
           (q_text is not null and (q_text = '' or (p0.q is not null and p0.q <> q_text::int))) as bad_quarter
    from keyed
)
select p.path, p.source_file, p.arrived, p.line_no, p.is_long, p.pole_id, p.period,
       p.bad_quarter or p.split_number as bad_quarter, c.code, c.code is null or c.label_mismatch as bad_code,
       c.raw_value, coalesce(fv.missing, true) as missing, n.parsed, i.entier, i.vmin, i.vmax
from fl_ind_coded c join periods p using (path, line_no)
left join ref_indicators i on i.code = c.code
left join fl_ind_text_facts fv on fv.t = c.raw_value
left join fl_ind_num_facts n on n.t = c.raw_value and n.dc = (p.delim <> ',') and n.pct = coalesce(i.pct, false);
-- @step fl_ind_values
create or replace table fl_ind_values as
with judged as (
    select *,
           not missing and (
               parsed is null
               or (vmin is not null and parsed.v < vmin)
               or (vmax is not null and parsed.v > vmax)
               or abs(parsed.v) > 10000000
               or (entier and parsed.v <> floor(parsed.v))) as bad_value
    from fl_ind_cells
),
rows as (
    -- A long row needs its value; a wide row is refused whole for one bad cell, or with no value.
    select path, line_no,
           bool_or(pole_id is null) or bool_or(period is null) or bool_or(not period_ok(period)) or bool_or(bad_quarter)
           or bool_or(bad_code and is_long) or bool_or(bad_value) or bool_or(missing and is_long)
           or (not bool_or(is_long) and bool_and(missing)) as refused
    from judged group by all
),
loaded as (
    select j.source_file, j.arrived, j.line_no, j.pole_id, j.period.y as annee, j.period.q as trimestre, j.code,
           round(j.parsed.v, 15 - 1 - floor(log10(greatest(abs(j.parsed.v), 1e-300)))::int) as valeur
    from judged j join rows r using (path, line_no)
    where not r.refused and not j.missing
),
conflicts as (
    -- Same pole, period and indicator twice in a file with two values: every row involved refused.
    select distinct l.source_file, l.line_no
    from loaded l join (
        select source_file, pole_id, annee, trimestre, code from loaded
        group by all having count(distinct valeur) > 1
    ) c on c.source_file = l.source_file and c.pole_id = l.pole_id and c.annee = l.annee
        and c.trimestre is not distinct from l.trimestre and c.code = l.code
)
select l.*
from loaded l anti join conflicts c using (source_file, line_no)
qualify row_number() over (partition by source_file, pole_id, annee, trimestre, code order by line_no) = 1;

-- @step fl_indicator_values
-- Resubmissions: for each pole and period, every value of the file that arrived last.
create or replace table fl_indicator_values as
with latest as (
    select pole_id, annee, trimestre, arg_max(source_file, (arrived, source_file)) as source_file
    from fl_ind_values group by all
)
select v.pole_id, v.annee, v.trimestre, v.code, v.valeur
from fl_ind_values v join latest l
  on l.pole_id = v.pole_id and l.annee = v.annee and l.trimestre is not distinct from v.trimestre
 and l.source_file = v.source_file;

-- @step fl_mart_pole_year
-- Quarters rolled up where the year was not typed in, then the derived ratios of sums.
create or replace table fl_mart_pole_year as
with q as (
    select v.pole_id, v.annee, v.code, count(distinct v.trimestre) as nb_trimestres,
           case any_value(c.agregation_trimestres) when 'somme' then sum(v.valeur) when 'max' then max(v.valeur)
                else arg_max(v.valeur, v.trimestre) end as valeur
    from fl_indicator_values v join ref_indicators c using (code)
    where v.trimestre is not null group by all
),
y as (select pole_id, annee, code, valeur from fl_indicator_values where trimestre is null),
base as (
    select pole_id, annee, code, valeur, 'annuel' as origine, null::int as nb_trimestres, false as derive from y
    union all
    select q.pole_id, q.annee, q.code, q.valeur, 'trimestres', q.nb_trimestres::int, false
    from q anti join y using (pole_id, annee, code)
),
parts as (
    select b.pole_id, b.annee, d.code, d.part, count(*) as n, sum(b.valeur) as total
    from ref_derived d join base b on b.code = d.comp group by all
),
needed as (select code, count(*) filter (where part = 'num') as n_num, count(*) filter (where part = 'den') as n_den
           from ref_derived group by code),
derived as (
    select n.pole_id, n.annee, n.code, n.total / d.total as valeur
    from parts n join parts d on d.pole_id = n.pole_id and d.annee = n.annee and d.code = n.code and d.part = 'den'
    join needed k on k.code = n.code
    where n.part = 'num' and n.n = k.n_num and d.n = k.n_den and d.total > 0
)
select * from base
union all select pole_id, annee, code, valeur, 'calcul', null, true from derived;

-- @step fl_mart_network_year
-- Network figure per year: sum (or mean) of the poles, median, min, max; derived ones as the ratio
-- of the sums over the poles that gave every component.
create or replace table fl_mart_network_year as
with typed as (
    select m.annee, m.code,
           case when any_value(i.agregation_poles) = 'moyenne' then avg(m.valeur) else sum(m.valeur) end as valeur,
           median(m.valeur) as mediane, min(m.valeur) as minimum, max(m.valeur) as maximum,
           count(m.valeur) as nb_poles, false as derive
    from fl_mart_pole_year m join ref_indicators i using (code)
    where not m.derive group by all
),
parts as (
    select b.pole_id, b.annee, d.code, d.part, count(*) as n, sum(b.valeur) as total
    from ref_derived d join fl_mart_pole_year b on b.code = d.comp and not b.derive group by all
),
needed as (select code, count(*) filter (where part = 'num') as n_num, count(*) filter (where part = 'den') as n_den
           from ref_derived group by code),
complete as (
    select n.annee, n.code, sum(n.total) as num, sum(d.total) as den
    from parts n join parts d on d.pole_id = n.pole_id and d.annee = n.annee and d.code = n.code and d.part = 'den'
    join needed k on k.code = n.code
    where n.part = 'num' and n.n = k.n_num and d.n = k.n_den group by all
),
per_pole as (
    select annee, code, median(valeur) as mediane, min(valeur) as minimum, max(valeur) as maximum,
           count(valeur) as nb_poles
    from fl_mart_pole_year where derive group by all
)
select * from typed
union all
select c.annee, c.code, c.num / c.den, p.mediane, p.minimum, p.maximum, coalesce(p.nb_poles, 0), true
from complete c left join per_pole p using (annee, code)
where c.den > 0;

-- @step fl_stay_cells
-- Pathway rows: every field the pipeline reads, judged as its readers judge it.
create or replace table fl_stay_cells as
select r.path, f.source_file, f.arrived, r.line_no, c.ctx_pole,
       ptrim(r.cells[h.pole_col]) as c_pole, ptrim(r.cells[h.id_col]) as c_id,
       ptrim(r.cells[h.structure_col]) as c_structure, ptrim(r.cells[h.entry_col]) as c_entry,
       ptrim(r.cells[h.exit_col]) as c_exit, ptrim(r.cells[h.motif_col]) as c_motif,
       ptrim(r.cells[h.sex_col]) as c_sex, ptrim(r.cells[h.birth_col]) as c_birth,
       ptrim(r.cells[h.band_col]) as c_band, ptrim(r.cells[h.deld_col]) as c_deld, ptrim(r.cells[h.rsa_col]) as c_rsa,
       ptrim(r.cells[h.qpv_col]) as c_qpv, ptrim(r.cells[h.rqth_col]) as c_rqth,
       ptrim(r.cells[h.hours_col]) as c_hours, ptrim(r.cells[h.certif_col]) as c_certif
from fl_records r
join fl_header h on h.path = r.path and r.line_no > h.header_line
join fl_context c on c.path = r.path
join fl_files f on f.path = r.path
where h.kind = 'parcours';
-- @step macro_date
create or replace macro date_of(s) as case
    when regexp_full_match(s, '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}')
        then try_strptime(regexp_replace(s, '[.\-]', '/', 'g'), '%d/%m/%Y')::date
    when regexp_full_match(s, '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}')
        then (try_strptime(regexp_replace(s, '[.\-]', '/', 'g'), '%d/%m/%y')::date
              - case when year(try_strptime(regexp_replace(s, '[.\-]', '/', 'g'), '%d/%m/%y')) > year(getvariable('today'))
                     then interval 100 year else interval 0 year end)::date
    when regexp_full_match(s, '\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?')
        then try_strptime(split_part(split_part(s, ' ', 1), 'T', 1), '%Y-%m-%d')::date
end;
-- @step fl_stay_facts
-- What each distinct cell text of the repetitive columns reads as (dates, yes/no, sex, hours…),
-- computed once per text, as the pipeline's readers memoise them.
create or replace table fl_stay_facts as
with t as (
    select distinct unnest([c_entry, c_exit, c_birth, c_band, c_sex, c_deld, c_rsa, c_qpv, c_rqth, c_certif, c_hours,
                            c_structure, c_motif, c_pole]) as t
    from fl_stay_cells
)
select t, is_missing(t) as missing, date_of(t) as d,
       num_core(t).v as num, num_core(t) is not null as num_ok,
       lower(t) in ('x', '✓', '✔', '☒', '☑') as tick,
       list_contains(getvariable('flag_words'), nkey(t)) as flag_word,
       list_contains(getvariable('true_words'), nkey(t)) as true_word,
       list_contains(getvariable('sexes'), nkey(t)) as sex_ok,
       list_contains(getvariable('age_keys'), nkey(t)) or regexp_full_match(lower(regexp_replace(t, '\s+', '', 'g')),
           '(<|-|moinsde|moins)26(ans)?|(>=|≥|\+de|plusde)55(ans)?|55(ans)?(\+|etplus|ouplus)') as band_ok,
       nkey(t) as k
from t where t is not null;

-- @step fl_exit_texts
-- The distinct exit reasons written beside an exit date: the driver classifies them (ref_exit).
create or replace table fl_exit_texts as
select distinct c.c_motif as motif
from fl_stay_cells c join fl_stay_facts m on m.t = c.c_motif join fl_stay_facts x on x.t = c.c_exit
where not m.missing and not x.missing and c.c_motif[1] not in ('=', '+', '@');

-- @step fl_stays
create or replace table fl_stays as
with ticks as (
    -- A yes/no column of ticks only: there an empty cell means no (parse_flag's `ticks`).
    select c.path, bool_and(coalesce(f.missing, true) or f.tick) and bool_or(not coalesce(f.missing, true)) as ticks_certif
    from fl_stay_cells c left join fl_stay_facts f on f.t = c.c_certif group by c.path
),
cells as (
    select c.*, t.ticks_certif,
           fp.missing as pole_missing, fs.missing as structure_missing, fs.k as structure_cle, fe.missing as entry_missing, fe.d as entry,
           fx.missing as exit_missing, fx.d as exit_date, fm.missing as motif_missing,
           fb.missing as birth_missing, fb.d as birth, fa.missing as band_missing, fa.band_ok,
           fg.missing as sex_missing, fg.sex_ok,
           [fd, fr, fq, fh, fc] as flag_facts, fw.missing as hours_missing, fw.num, fw.num_ok,
           fc.missing as certif_missing, fc.tick as certif_tick, fc.true_word as certif_true
    from fl_stay_cells c
    left join fl_stay_facts fp on fp.t = c.c_pole left join fl_stay_facts fs on fs.t = c.c_structure
    left join fl_stay_facts fe on fe.t = c.c_entry left join fl_stay_facts fx on fx.t = c.c_exit
    left join fl_stay_facts fm on fm.t = c.c_motif left join fl_stay_facts fb on fb.t = c.c_birth
    left join fl_stay_facts fa on fa.t = c.c_band left join fl_stay_facts fg on fg.t = c.c_sex
    left join fl_stay_facts fd on fd.t = c.c_deld left join fl_stay_facts fr on fr.t = c.c_rsa
    left join fl_stay_facts fq on fq.t = c.c_qpv left join fl_stay_facts fh on fh.t = c.c_rqth
    left join fl_stay_facts fc on fc.t = c.c_certif left join fl_stay_facts fw on fw.t = c.c_hours
    join ticks t on t.path = c.path
),
read as (
    select c.*,
           case when coalesce(c.pole_missing, true) then c.ctx_pole else coalesce(m.match_pole, m.find_pole) end as pole_id,
           e.category,
           c.c_id is null or c.c_id = '' or (length(c.c_id) <= 16 and not regexp_matches(c.c_id, '[0-9]')
                                             and is_missing(c.c_id)) as id_missing
    from cells c
    left join fl_pole_match m on m.txt = c.c_pole
    left join ref_exit e on e.motif = c.c_motif
),
judged as (
    select *,
           pole_id is null
           or id_missing or length(c_id) > 64 or c_id[1] = '='
           or (regexp_full_match(c_id, '\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}') and date_of(c_id) is not null)
           or coalesce(structure_missing, true) or c_structure[1] in ('=', '+', '@') or length(c_structure) > 200
           or coalesce(entry_missing, true) or entry is null or entry > getvariable('today') or year(entry) < 2000
           or (not coalesce(exit_missing, true) and (exit_date is null or exit_date > getvariable('today') or exit_date < entry))
           or (not coalesce(motif_missing, true) and (coalesce(exit_missing, true) or category is null))
           or (coalesce(motif_missing, true) and not coalesce(exit_missing, true))
           or (not coalesce(sex_missing, true) and not sex_ok)
           or (not coalesce(birth_missing, true) and (birth is null or date_diff('year', birth, entry)
                   - (strftime(entry, '%m%d') < strftime(birth, '%m%d'))::int not between 14 and 100))
           or (coalesce(birth_missing, true) and not coalesce(band_missing, true) and not band_ok)
           or list_bool_or(list_transform(flag_facts, lambda f: f.t is not null and not f.missing and not f.tick
                                                              and not f.flag_word))
           or (not coalesce(hours_missing, true) and (not num_ok or num < 0 or num > 5000)) as refused,
           case when coalesce(hours_missing, true) then null else num end as hours,
           case when certif_tick then true
                when coalesce(certif_missing, true) then case when ticks_certif then false end
                else certif_true end as certified
    from read
),
keyed as (
    select *, sha256(pole_id || chr(31) || lower(regexp_replace(c_id, '\s+', '', 'g')))[1:32] as person_key,
           regexp_replace(c_structure, '\s+', ' ', 'g') as structure
    from judged where not refused
)
-- A second row of the same stay in one file is refused (the first one is kept).
select person_key, pole_id, structure, structure_cle, entry as date_entree, exit_date as date_sortie,
       category as categorie_sortie, hours as heures_formation, certified as certification,
       source_file, arrived, line_no
from keyed
qualify row_number() over (partition by source_file, person_key, pole_id, structure_cle, entry order by line_no) = 1;

-- @step fl_pathways
-- The latest version of each stay (file arrived last, then the later row), grouped into pathways:
-- an entry into another structure within gap_days of the previous exit is an internal move.
create or replace table fl_pathways as
with latest as (
    select * from fl_stays
    qualify row_number() over (partition by person_key, pole_id, structure_cle, date_entree
                               order by arrived desc, source_file desc, line_no desc) = 1
),
ordered as (
    select *, lag(date_sortie) over w as prev_exit, lag(structure_cle) over w as prev_structure,
           row_number() over w as k
    from latest
    window w as (partition by pole_id, person_key order by date_entree, date_sortie nulls last, structure_cle)
),
flagged as (
    select *,
           k > 1 and prev_exit is not null and date_diff('day', prev_exit, date_entree) <= getvariable('gap_days')
               and structure_cle <> prev_structure as mobilite_interne,
           k = 1 or (prev_exit is not null and not (
               (date_diff('day', prev_exit, date_entree) <= getvariable('gap_days') and structure_cle <> prev_structure)
               or date_diff('day', prev_exit, date_entree) < 0)) as new_path
    from ordered
),
numbered as (
    select *, sum(new_path::int) over (partition by pole_id, person_key order by k) as number
    from flagged
),
stepped as (
    select *, person_key || '-' || number as parcours_id,
           row_number() over (partition by pole_id, person_key, number order by k) as etape
    from numbered
)
select pole_id, person_key, parcours_id, etape, structure, date_entree, date_sortie, mobilite_interne,
       heures_formation, certification,
       etape = max(etape) over (partition by parcours_id) and date_sortie is not null as fin_parcours,
       case when etape = max(etape) over (partition by parcours_id) and date_sortie is not null
            then categorie_sortie end as categorie_sortie
from stepped;

-- @step fl_pathway_indicators
-- Per pole and year, from its first entry to the last year its files speak of: the counts of
-- `pipelines/pathways/tables.build_indicators`.
create or replace table fl_pathway_indicators as
with horizon as (
    select pole_id, least(make_date(year(max(greatest(date_entree, coalesce(date_sortie, date_entree)))), 12, 31),
                          getvariable('today')) as horizon
    from fl_pathways group by pole_id
),
stays as (
    select p.*, coalesce(p.date_sortie, h.horizon) as fin, year(p.date_entree) as an_entree,
           year(coalesce(p.date_sortie, h.horizon)) as an_fin, year(p.date_sortie) as an_sortie
    from fl_pathways p join horizon h using (pole_id)
),
spans as (
    select parcours_id, any_value(pole_id) as pole_id, min(date_entree) as debut,
           max(date_sortie) filter (where fin_parcours) as fin,
           max(categorie_sortie) filter (where fin_parcours) as categorie
    from fl_pathways group by parcours_id
),
years as (
    select pole_id, unnest(range(min(an_entree), max(an_fin) + 1)) as annee from stays group by pole_id
),
overlap as (
    select y.pole_id, y.annee, count(distinct s.person_key) as personnes,
           sum(s.heures_formation * greatest(0, date_diff('day', greatest(s.date_entree, make_date(y.annee, 1, 1)),
                                                           least(s.fin, make_date(y.annee, 12, 31))) + 1)
               / (date_diff('day', s.date_entree, s.fin) + 1)) as heures
    from years y join stays s on s.pole_id = y.pole_id and s.an_entree <= y.annee and s.an_fin >= y.annee
    group by all
),
entered as (
    select pole_id, year(debut) as annee, count(*) as n from spans group by all
),
ended as (
    select pole_id, year(fin) as annee,
           count(*) filter (where categorie is distinct from 'retrait') as sorties,
           count(*) filter (where categorie = 'emploi_durable') as durable,
           count(*) filter (where categorie = 'emploi_transition') as transition,
           count(*) filter (where categorie = 'sortie_positive') as positive,
           count(*) filter (where categorie = 'autre_sortie') as autre,
           count(*) filter (where categorie = 'retrait') as retraits,
           median(date_diff('day', debut, fin) / (365.25 / 12)) filter (where categorie is distinct from 'retrait') as duree
    from spans where fin is not null group by all
),
certified as (
    select pole_id, an_sortie as annee, count(distinct person_key) as certifications
    from stays where certification group by all
),
moved as (
    select pole_id, an_entree as annee, count(distinct person_key) as mobilites
    from stays where mobilite_interne group by all
),
wide as (
    select y.pole_id, y.annee,
           coalesce(o.personnes, 0) as personnes_accompagnees, coalesce(en.n, 0) as entrees_parcours,
           coalesce(e.sorties, 0) as sorties, coalesce(e.durable, 0) as sorties_emploi_durable,
           coalesce(e.transition, 0) as sorties_emploi_transition, coalesce(e.positive, 0) as sorties_positives,
           coalesce(e.autre, 0) as sorties_autres, coalesce(e.retraits, 0) as retraits,
           case when coalesce(e.sorties, 0) > 0 then (e.durable + e.transition + e.positive) / e.sorties end
               as taux_sortie_dynamique,
           case when coalesce(e.sorties, 0) > 0 then e.duree end as duree_mediane_mois,
           o.heures as heures_formation, coalesce(c.certifications, 0) as certifications,
           coalesce(mv.mobilites, 0) as mobilites_internes
    from years y
    left join overlap o using (pole_id, annee) left join entered en using (pole_id, annee)
    left join ended e using (pole_id, annee) left join certified c using (pole_id, annee)
    left join moved mv using (pole_id, annee)
)
select pole_id, annee, code, valeur::double as valeur
from (unpivot wide on columns(* exclude (pole_id, annee)) into name code value valeur)
where valeur is not null;
