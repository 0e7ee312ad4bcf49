/* The hot loops of the columnar engine, in C.
 *
 * ``number``: the coarse form of log messages, numbered. The coarse form of a message is
 * the message with every token holding a digit replaced by "#" (a token: a maximal run of
 * [A-Za-z0-9_.:/@%+-]), as ``shapes._DIGIT_TOKENS`` does in Python. Rust's regex replace
 * does this at about 100 MB/s per core, which alone is slower than the whole budget of a
 * gather; this scan does it in one pass and numbers the forms in a dictionary shared across
 * blocks, so the rest of the engine gathers integers instead of joining strings.
 *
 * ``scan_syslog``: a block of RFC 3164 syslog lines taken apart as ``syslog_plan`` does
 * with polars (the header regex ``HEADER``, the fields cut by position, which lines
 * certainly start a one-line record, where the block can be cut), returning integers per
 * line and the few distinct strings, so that no Python or polars string is made per line.
 *
 * ``forms.py`` and ``syslog_plan.py`` keep the polars way for an install without this
 * module; the tests check that the two agree.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* 1: a token character; 3: a digit (a token character that makes the token variable). */
static unsigned char kind_of[256];

static void
fill_kinds(void)
{
    const char *others = "_.:/@%+-";
    for (int c = 'A'; c <= 'Z'; c++) kind_of[c] = 1;
    for (int c = 'a'; c <= 'z'; c++) kind_of[c] = 1;
    for (int c = '0'; c <= '9'; c++) kind_of[c] = 3;
    for (const char *p = others; *p; p++) kind_of[(unsigned char)*p] = 1;
}

/* Writes the coarse form of text[0:size] to out (at least size bytes); returns its length. */
static Py_ssize_t
coarse_of(const unsigned char *text, Py_ssize_t size, unsigned char *out)
{
    Py_ssize_t i = 0, n = 0;
    while (i < size) {
        unsigned char kind = kind_of[text[i]];
        if (!kind) {
            out[n++] = text[i++];
            continue;
        }
        Py_ssize_t j = i;
        unsigned char all = 0;
        while (j < size && (kind = kind_of[text[j]]) != 0) {
            all |= kind;
            j++;
        }
        if (all & 2) {
            out[n++] = '#';
        } else {
            memcpy(out + n, text + i, (size_t)(j - i));
            n += j - i;
        }
        i = j;
    }
    return n;
}

/* The number of key in numbers (a dict), adding it as len(numbers) (and to the list keys)
 * when new; *added tells which. Returns a new reference, NULL on error. */
static PyObject *
number_of(PyObject *numbers, PyObject *keys, const char *text, Py_ssize_t size, int *added)
{
    PyObject *key = PyBytes_FromStringAndSize(text, size);
    if (key == NULL) {
        return NULL;
    }
    PyObject *id = PyDict_GetItemWithError(numbers, key);
    *added = 0;
    if (id != NULL) {
        Py_INCREF(id);
    } else if (!PyErr_Occurred()) {
        id = PyLong_FromSsize_t(PyList_GET_SIZE(keys));
        if (id != NULL && (PyDict_SetItem(numbers, key, id) < 0 || PyList_Append(keys, key) < 0)) {
            Py_CLEAR(id);
        }
        *added = 1;
    }
    Py_DECREF(key);
    return id;
}

static int
append_size(PyObject *list, Py_ssize_t value)
{
    PyObject *item = PyLong_FromSsize_t(value);
    if (item == NULL) {
        return -1;
    }
    int failed = PyList_Append(list, item);
    Py_DECREF(item);
    return failed;
}

/* A hash table of byte strings (kept where they are: in the block, or in an arena) to
 * numbers, for the few distinct values of a block: much cheaper per line than making a
 * Python bytes object and looking it up in a dict. */
typedef struct {
    const unsigned char *key;  /* NULL: empty slot */
    Py_ssize_t size;
    Py_ssize_t id;
    Py_uhash_t hash;
} Slot;

typedef struct {
    Slot *slots;
    size_t mask;
    Py_ssize_t count;
} Table;

static Py_uhash_t
hash_of(const unsigned char *key, Py_ssize_t size)
{
    /* Eight bytes at a time, mixed by a multiplication: keys are short or few. */
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)size;
    Py_ssize_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word;
        memcpy(&word, key + i, 8);
        h = (h ^ word) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, key + i, (size_t)(size - i));
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    return (Py_uhash_t)h;
}

/* Whether p[0:size] is ASCII without a carriage return, eight bytes at a time. */
static int
plain_ascii(const unsigned char *p, Py_ssize_t size)
{
    const uint64_t high = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    const uint64_t cr = ones * '\r';
    Py_ssize_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word;
        memcpy(&word, p + i, 8);
        uint64_t x = word ^ cr;  /* a zero byte where word has a carriage return */
        if ((word | ((x - ones) & ~x)) & high) {
            return 0;
        }
    }
    for (; i < size; i++) {
        if (p[i] >= 0x80 || p[i] == '\r') {
            return 0;
        }
    }
    return 1;
}

static int
table_init(Table *table)
{
    table->mask = 255;
    table->count = 0;
    table->slots = PyMem_RawCalloc(table->mask + 1, sizeof(Slot));
    return table->slots ? 0 : -1;
}

static void
table_free(Table *table)
{
    PyMem_RawFree(table->slots);
    table->slots = NULL;
}

/* The slot of key: found (slot->key set) or where to add it. */
static Slot *
table_slot(Table *table, const unsigned char *key, Py_ssize_t size, Py_uhash_t hash)
{
    size_t i = (size_t)hash & table->mask;
    for (;;) {
        Slot *slot = &table->slots[i];
        if (slot->key == NULL ||
            (slot->hash == hash && slot->size == size && memcmp(slot->key, key, (size_t)size) == 0)) {
            return slot;
        }
        i = (i + 1) & table->mask;
    }
}

/* Fills an empty slot (from table_slot); grows the table when it is half full. */
static int
table_add(Table *table, Slot *slot, const unsigned char *key, Py_ssize_t size, Py_uhash_t hash,
          Py_ssize_t id)
{
    slot->key = key;
    slot->size = size;
    slot->hash = hash;
    slot->id = id;
    table->count++;
    if ((size_t)table->count * 2 <= table->mask) {
        return 0;
    }
    size_t old_size = table->mask + 1;
    Slot *old = table->slots;
    table->mask = old_size * 2 - 1;
    table->slots = PyMem_RawCalloc(old_size * 2, sizeof(Slot));
    if (table->slots == NULL) {
        table->slots = old;
        table->mask = old_size - 1;
        return -1;
    }
    for (size_t i = 0; i < old_size; i++) {
        if (old[i].key != NULL) {
            *table_slot(table, old[i].key, old[i].size, old[i].hash) = old[i];
        }
    }
    PyMem_RawFree(old);
    return 0;
}

/* The scans run without the interpreter lock (so that the thread finishing the previous
 * block runs meanwhile) and take it only to make a Python object: a new name, a run of
 * lines, a callback. */
typedef struct {
    PyThreadState *saved;  /* NULL: this thread holds the lock */
} Gil;

static void
gil_release(Gil *gil)
{
    if (gil->saved == NULL) gil->saved = PyEval_SaveThread();
}

static void
gil_take(Gil *gil)
{
    if (gil->saved != NULL) {
        PyEval_RestoreThread(gil->saved);
        gil->saved = NULL;
    }
}

/* The number of key among names (a block's distinct values, numbered from 0 as first
 * seen, their bytes appended to the list names). Takes the lock (and keeps it) only for a
 * new name, which *added tells. -1 on error, the lock held. */
static Py_ssize_t
name_number(Table *table, PyObject *names, const unsigned char *key, Py_ssize_t size, Gil *gil,
            int *added)
{
    Py_uhash_t hash = hash_of(key, size);
    Slot *slot = table_slot(table, key, size, hash);
    *added = 0;
    if (slot->key != NULL) {
        return slot->id;
    }
    gil_take(gil);
    *added = 1;
    Py_ssize_t id = PyList_GET_SIZE(names);
    PyObject *name = PyBytes_FromStringAndSize((const char *)key, size);
    if (name == NULL || PyList_Append(names, name) < 0) {
        Py_XDECREF(name);
        return -1;
    }
    Py_DECREF(name);
    if (table_add(table, slot, key, size, hash, id) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    return id;
}

PyDoc_STRVAR(number_doc,
"number(messages, forms, added) -> (ids, firsts)\n\n"
"messages: str, the messages joined by newlines (each message is one line).\n"
"forms: dict of coarse form (UTF-8 bytes) to its number; new forms are numbered\n"
"len(added), len(added) + 1, ... in order of first appearance and appended to the\n"
"list added. Returns the number of each message's form and the indexes of the\n"
"messages that brought a new form.");

static PyObject *
number(PyObject *self, PyObject *args)
{
    PyObject *text, *forms, *added;
    if (!PyArg_ParseTuple(args, "UO!O!:number", &text, &PyDict_Type, &forms, &PyList_Type,
                          &added)) {
        return NULL;
    }
    Py_ssize_t size;
    const char *data = PyUnicode_AsUTF8AndSize(text, &size);
    if (data == NULL) {
        return NULL;
    }
    const unsigned char *bytes = (const unsigned char *)data;
    Py_ssize_t lines = 1;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + size - p))) != NULL; p++) {
        lines++;
    }
    PyObject *ids = PyList_New(lines);
    PyObject *firsts = PyList_New(0);
    unsigned char *out = PyMem_RawMalloc((size_t)size + 1);
    if (ids == NULL || firsts == NULL || out == NULL) {
        goto error;
    }
    Py_ssize_t start = 0;
    for (Py_ssize_t row = 0; row < lines; row++) {
        const unsigned char *end = memchr(bytes + start, '\n', (size_t)(size - start));
        Py_ssize_t stop = end ? (Py_ssize_t)(end - bytes) : size;
        Py_ssize_t length = coarse_of(bytes + start, stop - start, out);
        start = stop + 1;
        int is_new;
        PyObject *id = number_of(forms, added, (const char *)out, length, &is_new);
        if (id == NULL) {
            goto error;
        }
        PyList_SET_ITEM(ids, row, id);
        if (is_new && append_size(firsts, row) < 0) {
            goto error;
        }
    }
    PyMem_RawFree(out);
    PyObject *result = PyTuple_Pack(2, ids, firsts);
    Py_DECREF(ids);
    Py_DECREF(firsts);
    return result;
error:
    PyMem_RawFree(out);
    Py_XDECREF(ids);
    Py_XDECREF(firsts);
    return NULL;
}

/* ------------------------------------------------------------------ syslog */

#define PREFIX 256  /* the header regex sees this many first characters of a line */

static int
is_space(unsigned char c)  /* \s of both regex engines on ASCII */
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* ``syslog_plan.HEADER`` on p[0:n]: the length of the match (-1: none); the tag's name
 * (the service) is p[*tag:*tag_end] when *tag_end > *tag; the host is p[16:*tag - 1]. */
static Py_ssize_t
match_header(const unsigned char *p, Py_ssize_t n, Py_ssize_t *tag, Py_ssize_t *tag_end)
{
    if (n < 17) {
        return -1;
    }
    if (!(p[0] >= 'A' && p[0] <= 'Z') || !(p[1] >= 'a' && p[1] <= 'z') ||
        !(p[2] >= 'a' && p[2] <= 'z') || p[3] != ' ' || !(p[4] == ' ' || is_digit(p[4])) ||
        !is_digit(p[5]) || p[6] != ' ' || !is_digit(p[7]) || !is_digit(p[8]) || p[9] != ':' ||
        !is_digit(p[10]) || !is_digit(p[11]) || p[12] != ':' || !is_digit(p[13]) ||
        !is_digit(p[14]) || p[15] != ' ') {
        return -1;
    }
    Py_ssize_t i = 16;
    while (i < n && !is_space(p[i])) i++;
    if (i == 16 || i >= n || p[i] != ' ') {
        return -1;
    }
    Py_ssize_t start = i + 1;
    *tag = *tag_end = start;
    /* First form: [^:\[\s]{1,64}(?:\[[^\]\s]*\])?: */
    Py_ssize_t j = start;
    while (j < n && p[j] != ':' && p[j] != '[' && !is_space(p[j])) j++;
    if (j > start && j - start <= 64 && j < n) {
        Py_ssize_t k = j;
        if (p[k] == '[') {
            k++;
            while (k < n && p[k] != ']' && !is_space(p[k])) k++;
            k = (k < n && p[k] == ']') ? k + 1 : -1;
        }
        if (k >= 0 && k + 1 < n && p[k] == ':' && p[k + 1] == ' ') {
            *tag_end = j;
            return k + 2;
        }
    }
    /* Second form: [^:\[\]\s][^:\[\]]{0,63}\[[0-9]+\]: */
    if (start < n && p[start] != ':' && p[start] != '[' && p[start] != ']' && !is_space(p[start])) {
        j = start + 1;
        while (j < n && p[j] != ':' && p[j] != '[' && p[j] != ']') j++;
        if (j - start - 1 <= 63 && j < n && p[j] == '[') {
            Py_ssize_t k = j + 1;
            while (k < n && is_digit(p[k])) k++;
            if (k > j + 1 && k + 2 < n && p[k] == ']' && p[k + 1] == ':' && p[k + 2] == ' ') {
                *tag_end = j;
                return k + 3;
            }
        }
    }
    return start;  /* no tag */
}

/* ``syslog_plan._MAY_CONTINUE`` on the message m[0:n]. */
static int
may_continue(const unsigned char *m, Py_ssize_t n)
{
    static const char *starts[] = {"Caused by: ", "Suppressed: ", "... ", "During handling",
                                   "The above exception", "Traceback", NULL};
    if (n > 0 && (m[0] == ' ' || m[0] == '\t')) {
        return 1;
    }
    for (const char **s = starts; *s; s++) {
        size_t len = strlen(*s);
        if ((size_t)n >= len && memcmp(m, *s, len) == 0) {
            return 1;
        }
    }
    Py_ssize_t i = 0;
    while (i < n && (kind_of[m[i]] == 3 || (unsigned)((m[i] | 0x20) - 'a') < 26u || m[i] == '_' ||
                     m[i] == '.')) {
        i++;
    }
    return i == n || m[i] == ':';
}

typedef struct {
    Py_ssize_t start, end;      /* the line's bytes (without its newline) */
    Py_ssize_t message;         /* where the message starts */
    Py_ssize_t stamp, host, service;  /* numbers in the block's tables (-1: none) */
    char ok, continues, startable;
} Line;

PyDoc_STRVAR(scan_syslog_doc,
"scan_syslog(body, at_end, valid_stamp, forms, added) -> tuple\n\n"
"body: bytes, whole lines (the last one without its newline only at the end of a file).\n"
"valid_stamp: called once per distinct timestamp (bytes) of the block: whether it is a\n"
"time that exists. forms, added: as for number(), for the messages of simple lines.\n"
"Returns (used, starts, runs, columns, firsts, stamp_names, host_names, service_names):\n"
"the lines read now (0: no place to cut), the offset of each line (and of the end),\n"
"the (start, end) stretches of lines that are not simple one-line records, and six\n"
"columns of 64-bit integers (bytes) with per simple line its row, the numbers of its\n"
"stamp, host and service in the block's name lists (service None is a name too), the\n"
"offset of its message and the number of its message's coarse form; firsts as for\n"
"number(), indexes into the columns.");

static PyObject *
scan_syslog(PyObject *self, PyObject *args)
{
    Py_buffer view;
    int at_end;
    PyObject *valid_stamp, *forms, *added;
    if (!PyArg_ParseTuple(args, "y*pOO!O!:scan_syslog", &view, &at_end, &valid_stamp,
                          &PyDict_Type, &forms, &PyList_Type, &added)) {
        return NULL;
    }
    const unsigned char *body = view.buf;
    Py_ssize_t size = view.len;
    Gil gil = {NULL};
    PyObject *result = NULL;
    Line *lines = NULL;
    char *valid = NULL;
    unsigned char *out = NULL;
    Table stamp_table = {0}, host_table = {0}, service_table = {0}, form_table = {0};
    PyObject *starts = NULL;
    PyObject *stamp_names = PyList_New(0), *host_names = PyList_New(0);
    PyObject *service_names = PyList_New(0);
    PyObject *runs = PyList_New(0), *firsts = PyList_New(0), *columns = NULL;
    if (!stamp_names || !host_names || !service_names || !runs || !firsts ||
        table_init(&stamp_table) < 0 ||
        table_init(&host_table) < 0 || table_init(&service_table) < 0 ||
        table_init(&form_table) < 0) {
        goto done;
    }
    if (size > 0 && body[size - 1] != '\n' && !at_end) {
        PyErr_SetString(PyExc_ValueError, "a block must end with a newline");
        goto done;
    }
    Py_ssize_t count = 0;
    for (const unsigned char *p = body; p < body + size;) {
        const unsigned char *end = memchr(p, '\n', (size_t)(body + size - p));
        count++;
        if (end == NULL) break;
        p = end + 1;
    }
    /* The offset of each line, then the block's size, as 64-bit integers. */
    starts = PyBytes_FromStringAndSize(NULL, (count + 1) * (Py_ssize_t)sizeof(int64_t));
    lines = PyMem_RawCalloc((size_t)count + 1, sizeof(Line));
    out = PyMem_RawMalloc((size_t)size + 1);
    Py_ssize_t valid_size = 64;
    valid = PyMem_RawMalloc((size_t)valid_size);
    if (starts == NULL || lines == NULL || out == NULL || valid == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    int64_t *start_of = (int64_t *)PyBytes_AS_STRING(starts);
    Py_ssize_t service_none = -1;
    Py_ssize_t offset = 0;
    const unsigned char *last_stamp = NULL;
    Py_ssize_t last_stamp_id = -1;
    int fresh;
    gil_release(&gil);
    for (Py_ssize_t i = 0; i < count; i++) {
        Line *line = &lines[i];
        const unsigned char *end = memchr(body + offset, '\n', (size_t)(size - offset));
        line->start = offset;
        line->end = end ? (Py_ssize_t)(end - body) : size;
        offset = line->end + 1;
        line->stamp = line->host = line->service = -1;
        start_of[i] = line->start;
        const unsigned char *p = body + line->start;
        Py_ssize_t length = line->end - line->start;
        if (!plain_ascii(p, length)) continue;
        Py_ssize_t tag, tag_end;
        Py_ssize_t head = match_header(p, length < PREFIX ? length : PREFIX, &tag, &tag_end);
        if (head < 0 || (tag_end == tag && length > PREFIX)) continue;
        if (last_stamp != NULL && memcmp(last_stamp, p, 15) == 0) {
            line->stamp = last_stamp_id;  /* a busy log writes the same second many times */
        } else {
            line->stamp = name_number(&stamp_table, stamp_names, p, 15, &gil, &fresh);
            if (line->stamp < 0) goto done;
            if (fresh) {  /* a new stamp: does that time exist? */
                if (line->stamp >= valid_size) {
                    valid_size *= 2;
                    char *grown = PyMem_RawRealloc(valid, (size_t)valid_size);
                    if (grown == NULL) {
                        PyErr_NoMemory();
                        goto done;
                    }
                    valid = grown;
                }
                PyObject *answer =
                    PyObject_CallOneArg(valid_stamp, PyList_GET_ITEM(stamp_names, line->stamp));
                if (answer == NULL) goto done;
                int truth = PyObject_IsTrue(answer);
                Py_DECREF(answer);
                if (truth < 0) goto done;
                valid[line->stamp] = (char)truth;
                gil_release(&gil);
            }
            last_stamp = p;
            last_stamp_id = line->stamp;
        }
        line->host = name_number(&host_table, host_names, p + 16, tag - 17, &gil, &fresh);
        if (line->host < 0) goto done;
        if (tag_end > tag) {
            line->service =
                name_number(&service_table, service_names, p + tag, tag_end - tag, &gil, &fresh);
            if (line->service < 0) goto done;
        } else {
            if (service_none < 0) {
                gil_take(&gil);
                service_none = PyList_GET_SIZE(service_names);
                if (PyList_Append(service_names, Py_None) < 0) goto done;
            }
            line->service = service_none;
        }
        gil_release(&gil);
        line->message = line->start + head;
        line->ok = valid[line->stamp];
        line->continues = (char)may_continue(p + head, length - head);
    }
    start_of[count] = size;
    /* A line that may continue the record before it does not start one when the line before
     * is not a record of its own or comes from the same host and program. */
    Py_ssize_t used = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        Line *line = &lines[i];
        int joins = i > 0 && line->continues &&
                    (!lines[i - 1].ok || (lines[i - 1].host == line->host &&
                                          lines[i - 1].service == line->service));
        line->startable = line->ok && !joins;
        if (line->startable && i > 0) used = i;
    }
    if (at_end) used = count;
    Py_ssize_t simple_count = 0;
    for (Py_ssize_t i = 0; i < used; i++) {
        simple_count += lines[i].startable && (i + 1 >= used || lines[i + 1].startable);
    }
    /* Six columns of 64-bit integers, one row per simple line: its line, the numbers of its
     * stamp, host and service, the offset of its message, the number of its coarse form. */
    gil_take(&gil);
    columns = PyBytes_FromStringAndSize(NULL, 6 * simple_count * (Py_ssize_t)sizeof(int64_t));
    if (columns == NULL) goto done;
    gil_release(&gil);
    int64_t *column = (int64_t *)PyBytes_AS_STRING(columns);
    Py_ssize_t k = 0;
    /* The coarse forms are written one after the other in out, which the table points into:
     * the forms of a block fit in it, as each is at most as long as its message. */
    Py_ssize_t cursor = 0;
    Py_ssize_t run_start = -1;
    for (Py_ssize_t i = 0; i < used; i++) {
        Line *line = &lines[i];
        int simple = line->startable && (i + 1 >= used || lines[i + 1].startable);
        if (!simple) {
            if (run_start < 0) run_start = i;
            continue;
        }
        if (run_start >= 0) {
            gil_take(&gil);
            PyObject *run = Py_BuildValue("(nn)", run_start, i);
            if (run == NULL || PyList_Append(runs, run) < 0) {
                Py_XDECREF(run);
                goto done;
            }
            Py_DECREF(run);
            run_start = -1;
            gil_release(&gil);
        }
        unsigned char *form = out + cursor;
        Py_ssize_t length = coarse_of(body + line->message, line->end - line->message, form);
        Py_uhash_t hash = hash_of(form, length);
        Slot *slot = table_slot(&form_table, form, length, hash);
        Py_ssize_t form_id;
        if (slot->key != NULL) {
            form_id = slot->id;
        } else {  /* first time in this block: its number across blocks, from forms */
            int is_new;
            gil_take(&gil);
            PyObject *id = number_of(forms, added, (const char *)form, length, &is_new);
            if (id == NULL) goto done;
            form_id = PyLong_AsSsize_t(id);
            Py_DECREF(id);
            if (is_new && append_size(firsts, k) < 0) goto done;
            if (table_add(&form_table, slot, form, length, hash, form_id) < 0) {
                PyErr_NoMemory();
                goto done;
            }
            cursor += length;
            gil_release(&gil);
        }
        column[k] = i;
        column[simple_count + k] = line->stamp;
        column[2 * simple_count + k] = line->host;
        column[3 * simple_count + k] = line->service;
        column[4 * simple_count + k] = line->message;
        column[5 * simple_count + k] = form_id;
        k++;
    }
    gil_take(&gil);
    if (run_start >= 0) {
        PyObject *run = Py_BuildValue("(nn)", run_start, used);
        if (run == NULL || PyList_Append(runs, run) < 0) {
            Py_XDECREF(run);
            goto done;
        }
        Py_DECREF(run);
    }
    /* The offsets as a sequence of integers that makes no Python object per line. */
    PyObject *offsets = PyMemoryView_FromObject(starts);
    if (offsets == NULL) goto done;
    PyObject *numbers = PyObject_CallMethod(offsets, "cast", "s", "q");
    Py_DECREF(offsets);
    if (numbers == NULL) goto done;
    result = Py_BuildValue("(nNOOOOOO)", used, numbers, runs, columns, firsts, stamp_names,
                           host_names, service_names);
done:
    gil_take(&gil);
    if (result == NULL && !PyErr_Occurred()) {
        PyErr_NoMemory();  /* the failures met without the lock are all allocations */
    }
    PyBuffer_Release(&view);
    PyMem_RawFree(lines);
    PyMem_RawFree(valid);
    PyMem_RawFree(out);
    table_free(&stamp_table);
    table_free(&host_table);
    table_free(&service_table);
    table_free(&form_table);
    Py_XDECREF(starts);
    Py_XDECREF(stamp_names);
    Py_XDECREF(host_names);
    Py_XDECREF(service_names);
    Py_XDECREF(runs);
    Py_XDECREF(firsts);
    Py_XDECREF(columns);
    return result;
}

/* ------------------------------------------------------------------ learned layouts */

#define LAYOUT_PREFIX 128
#define MAX_PROGRAMS 64  /* the narrow regex sees this many first characters of a line */

/* One way the narrow start regex of a layout can match (``generic_plan.programs``): a
 * string of operations, tried in the regex's order of preference. */
typedef struct {
    Py_ssize_t end;         /* where the fields start (-1: no match) */
    Py_ssize_t k, k_end;    /* the stamp */
    Py_ssize_t q, q_end;    /* the fraction (q < 0: none) */
} StartMatch;

static int
run_program(const unsigned char *op, Py_ssize_t ops, const unsigned char *p, Py_ssize_t n,
            StartMatch *found)
{
    Py_ssize_t i = 0;
    found->k = found->k_end = found->q = found->q_end = -1;
    for (Py_ssize_t o = 0; o < ops;) {
        switch (op[o]) {
        case 'L':
            if (i >= n || p[i] != op[o + 1]) return 0;
            i++;
            o += 2;
            break;
        case 'D':
            if (i >= n || !is_digit(p[i])) return 0;
            i++;
            o++;
            break;
        case 'A':
            if (i >= n || (unsigned)((p[i] | 0x20) - 'a') >= 26u) return 0;
            i++;
            o++;
            break;
        case 'M':
            if (i >= n || (p[i] != '.' && p[i] != ',' && p[i] != ':')) return 0;
            i++;
            o++;
            break;
        case '(':
            found->k = i;
            o++;
            break;
        case ')':
            found->k_end = i;
            o++;
            break;
        case 'Q': {
            Py_ssize_t least = op[o + 1], most = op[o + 2], j = i;
            while (j < n && j - i < most && is_digit(p[j])) j++;
            if (j - i < least) return 0;
            found->q = i;
            found->q_end = i = j;
            o += 3;
            break;
        }
        case 'q':
            found->q = found->q_end = i;
            o++;
            break;
        case 'S':
            if (i < n && is_space(p[i])) {
                while (i < n && is_space(p[i])) i++;
            } else if (i != n) {
                return 0;
            }
            o++;
            break;
        default:
            return 0;
        }
    }
    found->end = i;
    return 1;
}

static int
is_rule(const unsigned char *m, Py_ssize_t n)  /* ``generic_plan._RULE`` */
{
    if (n < 1 || n > 15) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!strchr("=-*~#:|.>< \t", m[i]) || m[i] == 0) return 0;
    }
    return 1;
}

typedef struct {
    Py_ssize_t start, end, head;
    int64_t base;   /* the stamp's time (UTC microseconds) */
    Py_ssize_t q, q_end;
    char ok;
} LayoutLine;

PyDoc_STRVAR(scan_layout_doc,
"scan_layout(body, at_end, programs, count, time_of, fields_of, forms, added) -> tuple\n\n"
"A block of a learned layout as ``generic_plan`` reads it. programs: the ways the start\n"
"regex matches, in order (``generic_plan.programs``); count: fields to split after it;\n"
"time_of(stamp, line): the stamp's time in UTC microseconds or None, called once per\n"
"distinct stamp of the block; fields_of(fields): (level rank, program, host, kept words)\n"
"once per distinct run of fields. Returns (used, starts, runs, columns, firsts,\n"
"field_names, field_values): columns are five of 64-bit integers per simple line: its\n"
"row, time, the number of its fields among field_names, where the rest of its message\n"
"starts (-1: the message is empty, a rule of punctuation) and its coarse form's number.");

static PyObject *
scan_layout(PyObject *self, PyObject *args)
{
    Py_buffer view;
    int at_end;
    Py_ssize_t count_fields;
    PyObject *programs, *time_of, *fields_of, *forms, *added;
    if (!PyArg_ParseTuple(args, "y*pO!nOOO!O!:scan_layout", &view, &at_end, &PyTuple_Type,
                          &programs, &count_fields, &time_of, &fields_of, &PyDict_Type, &forms,
                          &PyList_Type, &added)) {
        return NULL;
    }
    const unsigned char *body = view.buf;
    Py_ssize_t size = view.len;
    Gil gil = {NULL};
    PyObject *result = NULL, *starts = NULL, *columns = NULL;
    LayoutLine *lines = NULL;
    unsigned char *out = NULL, *message = NULL;
    int64_t *bases = NULL;
    PyObject **kept = NULL;
    Py_ssize_t bases_size = 64, kept_size = 64;
    Table stamp_table = {0}, field_table = {0}, form_table = {0};
    PyObject *stamp_names = PyList_New(0), *field_names = PyList_New(0);
    PyObject *field_values = PyList_New(0), *runs = PyList_New(0), *firsts = PyList_New(0);
    if (!stamp_names || !field_names || !field_values || !runs || !firsts ||
        table_init(&stamp_table) < 0 || table_init(&field_table) < 0 ||
        table_init(&form_table) < 0) {
        goto done;
    }
    if (size > 0 && body[size - 1] != '\n' && !at_end) {
        PyErr_SetString(PyExc_ValueError, "a block must end with a newline");
        goto done;
    }
    Py_ssize_t count = 0;
    for (const unsigned char *p = body; p < body + size;) {
        const unsigned char *end = memchr(p, '\n', (size_t)(body + size - p));
        count++;
        if (end == NULL) break;
        p = end + 1;
    }
    starts = PyBytes_FromStringAndSize(NULL, (count + 1) * (Py_ssize_t)sizeof(int64_t));
    lines = PyMem_RawCalloc((size_t)count + 1, sizeof(LayoutLine));
    bases = PyMem_RawMalloc((size_t)bases_size * sizeof(int64_t));
    if (starts == NULL || lines == NULL || bases == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    int64_t *start_of = (int64_t *)PyBytes_AS_STRING(starts);
    Py_ssize_t programs_count = PyTuple_GET_SIZE(programs);
    const unsigned char *program_ops[MAX_PROGRAMS];
    Py_ssize_t program_sizes[MAX_PROGRAMS];
    if (programs_count > MAX_PROGRAMS) {
        PyErr_SetString(PyExc_ValueError, "too many programs");
        goto done;
    }
    for (Py_ssize_t g = 0; g < programs_count; g++) {
        PyObject *program = PyTuple_GET_ITEM(programs, g);
        if (!PyBytes_Check(program)) {
            PyErr_SetString(PyExc_TypeError, "a program is bytes");
            goto done;
        }
        program_ops[g] = (const unsigned char *)PyBytes_AS_STRING(program);
        program_sizes[g] = PyBytes_GET_SIZE(program);
    }
    Py_ssize_t offset = 0;
    int fresh;
    gil_release(&gil);
    for (Py_ssize_t i = 0; i < count; i++) {
        LayoutLine *line = &lines[i];
        const unsigned char *end = memchr(body + offset, '\n', (size_t)(size - offset));
        line->start = offset;
        line->end = end ? (Py_ssize_t)(end - body) : size;
        offset = line->end + 1;
        start_of[i] = line->start;
        const unsigned char *p = body + line->start;
        Py_ssize_t length = line->end - line->start;
        if (!plain_ascii(p, length)) continue;
        Py_ssize_t n = length < LAYOUT_PREFIX ? length : LAYOUT_PREFIX;
        StartMatch match;
        int matched = 0;
        for (Py_ssize_t g = 0; g < programs_count && !matched; g++) {
            matched = run_program(program_ops[g], program_sizes[g], p, n, &match);
        }
        if (!matched || (length > LAYOUT_PREFIX && match.end >= LAYOUT_PREFIX)) continue;
        Py_ssize_t stamp = name_number(&stamp_table, stamp_names, p + match.k,
                                       match.k_end - match.k, &gil, &fresh);
        if (stamp < 0) goto done;
        if (fresh) {  /* a new stamp: its time, as the reader reads it */
            if (stamp >= bases_size) {
                bases_size *= 2;
                int64_t *grown = PyMem_RawRealloc(bases, (size_t)bases_size * sizeof(int64_t));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                bases = grown;
            }
            PyObject *raw = PyBytes_FromStringAndSize(
                (const char *)p, (end ? length + 1 : length));
            if (raw == NULL) goto done;
            PyObject *answer =
                PyObject_CallFunctionObjArgs(time_of, PyList_GET_ITEM(stamp_names, stamp), raw, NULL);
            Py_DECREF(raw);
            if (answer == NULL) goto done;
            if (answer == Py_None) {
                bases[stamp] = INT64_MIN;
            } else {
                bases[stamp] = PyLong_AsLongLong(answer);
            }
            Py_DECREF(answer);
            if (PyErr_Occurred()) goto done;
            gil_release(&gil);
        }
        if (bases[stamp] == INT64_MIN) continue;
        line->base = bases[stamp];
        line->head = match.end;
        line->q = match.q;
        line->q_end = match.q_end;
        line->ok = 1;
    }
    start_of[count] = size;
    Py_ssize_t used = 0;
    for (Py_ssize_t i = 1; i < count; i++) {
        if (lines[i].ok) used = i;
    }
    if (at_end) used = count;
    Py_ssize_t simple_count = 0;
    for (Py_ssize_t i = 0; i < used; i++) {
        simple_count += lines[i].ok && (i + 1 >= used || lines[i + 1].ok);
    }
    gil_take(&gil);
    columns = PyBytes_FromStringAndSize(NULL, 5 * simple_count * (Py_ssize_t)sizeof(int64_t));
    /* Messages are at most twice their line (the kept words come from the line): the
     * coarse forms are written one after the other in out until it is full. */
    out = PyMem_RawMalloc(2 * (size_t)size + 2);
    message = PyMem_RawMalloc(1024);
    kept = PyMem_RawMalloc((size_t)kept_size * sizeof(PyObject *));
    Py_ssize_t message_size = 1024;
    if (columns == NULL || out == NULL || message == NULL || kept == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    int64_t *column = (int64_t *)PyBytes_AS_STRING(columns);
    Py_ssize_t k = 0, cursor = 0, run_start = -1;
    gil_release(&gil);
    for (Py_ssize_t i = 0; i < used; i++) {
        LayoutLine *line = &lines[i];
        int simple = line->ok && (i + 1 >= used || lines[i + 1].ok);
        if (!simple) {
            if (run_start < 0) run_start = i;
            continue;
        }
        if (run_start >= 0) {
            gil_take(&gil);
            PyObject *run = Py_BuildValue("(nn)", run_start, i);
            if (run == NULL || PyList_Append(runs, run) < 0) {
                Py_XDECREF(run);
                goto done;
            }
            Py_DECREF(run);
            run_start = -1;
            gil_release(&gil);
        }
        /* The fraction: its first six digits, padded with zeros. */
        int64_t fraction = 0;
        if (line->q >= 0) {
            const unsigned char *q = body + line->start + line->q;
            Py_ssize_t digits = line->q_end - line->q;
            for (Py_ssize_t d = 0; d < 6; d++) {
                fraction = fraction * 10 + (d < digits ? q[d] - '0' : 0);
            }
        }
        /* The fields after the time: ^\s*(?:\S+\s+){count}, or none. */
        Py_ssize_t rest = line->start + line->head, fields_end = rest;
        if (count_fields > 0) {
            Py_ssize_t j = rest;
            while (j < line->end && is_space(body[j])) j++;
            Py_ssize_t f = 0;
            for (; f < count_fields; f++) {
                Py_ssize_t word = j;
                while (j < line->end && !is_space(body[j])) j++;
                if (j == word) break;
                Py_ssize_t gap = j;
                while (j < line->end && is_space(body[j])) j++;
                if (j == gap) break;
            }
            if (f == count_fields && j < line->end) fields_end = j;
        }
        Py_ssize_t fields = name_number(&field_table, field_names, body + rest, fields_end - rest,
                                        &gil, &fresh);
        if (fields < 0) goto done;
        if (fresh) {
            if (fields >= kept_size) {
                kept_size *= 2;
                PyObject **grown = PyMem_RawRealloc(kept, (size_t)kept_size * sizeof(PyObject *));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                kept = grown;
            }
            PyObject *value = PyObject_CallOneArg(fields_of, PyList_GET_ITEM(field_names, fields));
            if (value == NULL) goto done;
            int failed = PyList_Append(field_values, value);
            Py_DECREF(value);
            if (failed) goto done;
            PyObject *words = PyTuple_Check(value) && PyTuple_GET_SIZE(value) == 4
                                  ? PyTuple_GET_ITEM(value, 3) : NULL;
            if (words == NULL || !PyBytes_Check(words)) {
                PyErr_SetString(PyExc_TypeError, "fields_of must give (rank, program, host, bytes)");
                goto done;
            }
            kept[fields] = words;  /* borrowed: field_values holds it */
            gil_release(&gil);
        }
        /* The message: the kept words, then the rest of the line. */
        Py_ssize_t kept_length = PyBytes_GET_SIZE(kept[fields]);
        Py_ssize_t length = kept_length + line->end - fields_end;
        if (length > message_size) {
            message_size = length * 2;
            unsigned char *grown = PyMem_RawRealloc(message, (size_t)message_size);
            if (grown == NULL) goto done;  /* no memory: said at done */
            message = grown;
        }
        memcpy(message, PyBytes_AS_STRING(kept[fields]), (size_t)kept_length);
        memcpy(message + kept_length, body + fields_end, (size_t)(line->end - fields_end));
        int rule = is_rule(message, length);
        if (rule) length = 0;
        if (cursor + length > 2 * size + 2) {  /* out is full: start again */
            cursor = 0;
            table_free(&form_table);
            if (table_init(&form_table) < 0) goto done;
        }
        unsigned char *form = out + cursor;
        Py_ssize_t form_length = coarse_of(message, length, form);
        Py_uhash_t hash = hash_of(form, form_length);
        Slot *slot = table_slot(&form_table, form, form_length, hash);
        Py_ssize_t form_id;
        if (slot->key != NULL) {
            form_id = slot->id;
        } else {
            int is_new;
            gil_take(&gil);
            PyObject *id = number_of(forms, added, (const char *)form, form_length, &is_new);
            if (id == NULL) goto done;
            form_id = PyLong_AsSsize_t(id);
            Py_DECREF(id);
            if (is_new && append_size(firsts, k) < 0) goto done;
            if (table_add(&form_table, slot, form, form_length, hash, form_id) < 0) {
                PyErr_NoMemory();
                goto done;
            }
            cursor += form_length;
            gil_release(&gil);
        }
        column[k] = i;
        column[simple_count + k] = line->base + fraction;
        column[2 * simple_count + k] = fields;
        column[3 * simple_count + k] = rule ? -1 : fields_end;
        column[4 * simple_count + k] = form_id;
        k++;
    }
    gil_take(&gil);
    if (run_start >= 0) {
        PyObject *run = Py_BuildValue("(nn)", run_start, used);
        if (run == NULL || PyList_Append(runs, run) < 0) {
            Py_XDECREF(run);
            goto done;
        }
        Py_DECREF(run);
    }
    PyObject *offsets = PyMemoryView_FromObject(starts);
    if (offsets == NULL) goto done;
    PyObject *numbers = PyObject_CallMethod(offsets, "cast", "s", "q");
    Py_DECREF(offsets);
    if (numbers == NULL) goto done;
    result = Py_BuildValue("(nNOOOOO)", used, numbers, runs, columns, firsts, field_names,
                           field_values);
done:
    gil_take(&gil);
    if (result == NULL && !PyErr_Occurred()) {
        PyErr_NoMemory();  /* the failures met without the lock are all allocations */
    }
    PyBuffer_Release(&view);
    PyMem_RawFree(lines);
    PyMem_RawFree(out);
    PyMem_RawFree(message);
    PyMem_RawFree(bases);
    PyMem_RawFree(kept);
    table_free(&stamp_table);
    table_free(&field_table);
    table_free(&form_table);
    Py_XDECREF(starts);
    Py_XDECREF(columns);
    Py_XDECREF(stamp_names);
    Py_XDECREF(field_names);
    Py_XDECREF(field_values);
    Py_XDECREF(runs);
    Py_XDECREF(firsts);
    return result;
}

/* ------------------------------------------------------------------ columns for polars */

/* The Arrow C data interface (https://arrow.apache.org/docs/format/CDataInterface.html):
 * how a column of the scan's 64-bit integers reaches polars without a Python int per row
 * (``pl.Series`` takes any object with ``__arrow_c_array__``). */
struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

typedef struct {
    const void *buffers[2];
    int64_t values[];  /* a copy: freed without the interpreter (polars frees from its threads) */
} ArrayData;

static void
release_schema(struct ArrowSchema *schema)
{
    schema->release = NULL;
}

static void
release_array(struct ArrowArray *array)
{
    PyMem_RawFree(array->private_data);
    array->release = NULL;
}

static void
free_schema_capsule(PyObject *capsule)
{
    struct ArrowSchema *schema = PyCapsule_GetPointer(capsule, "arrow_schema");
    if (schema != NULL) {
        if (schema->release != NULL) schema->release(schema);
        PyMem_RawFree(schema);
    }
}

static void
free_array_capsule(PyObject *capsule)
{
    struct ArrowArray *array = PyCapsule_GetPointer(capsule, "arrow_array");
    if (array != NULL) {
        if (array->release != NULL) array->release(array);
        PyMem_RawFree(array);
    }
}

PyDoc_STRVAR(int64_capsules_doc,
"int64_capsules(data, start, length) -> (schema capsule, array capsule)\n\n"
"data[8 * start : 8 * (start + length)] (bytes) copied into an Arrow int64 array.");

static PyObject *
int64_capsules(PyObject *self, PyObject *args)
{
    PyObject *owner;
    Py_ssize_t start, length;
    if (!PyArg_ParseTuple(args, "O!nn:int64_capsules", &PyBytes_Type, &owner, &start, &length)) {
        return NULL;
    }
    if (start < 0 || length < 0 || (start + length) * 8 > PyBytes_GET_SIZE(owner)) {
        PyErr_SetString(PyExc_ValueError, "the column is not inside the data");
        return NULL;
    }
    struct ArrowSchema *schema = PyMem_RawCalloc(1, sizeof(struct ArrowSchema));
    struct ArrowArray *array = PyMem_RawCalloc(1, sizeof(struct ArrowArray));
    ArrayData *data = PyMem_RawMalloc(sizeof(ArrayData) + (size_t)(length + 1) * sizeof(int64_t));
    if (schema == NULL || array == NULL || data == NULL) {
        PyMem_RawFree(schema);
        PyMem_RawFree(array);
        PyMem_RawFree(data);
        return PyErr_NoMemory();
    }
    schema->format = "l";
    schema->name = "";
    schema->release = release_schema;
    memcpy(data->values, PyBytes_AS_STRING(owner) + 8 * start, (size_t)length * sizeof(int64_t));
    data->buffers[0] = NULL;  /* no nulls */
    data->buffers[1] = data->values;
    array->length = length;
    array->n_buffers = 2;
    array->buffers = data->buffers;
    array->release = release_array;
    array->private_data = data;
    PyObject *schema_capsule = PyCapsule_New(schema, "arrow_schema", free_schema_capsule);
    if (schema_capsule == NULL) {
        release_array(array);
        PyMem_RawFree(array);
        PyMem_RawFree(schema);
        return NULL;
    }
    PyObject *array_capsule = PyCapsule_New(array, "arrow_array", free_array_capsule);
    if (array_capsule == NULL) {
        Py_DECREF(schema_capsule);
        release_array(array);
        PyMem_RawFree(array);
        return NULL;
    }
    return Py_BuildValue("(NN)", schema_capsule, array_capsule);
}

static PyMethodDef methods[] = {
    {"number", number, METH_VARARGS, number_doc},
    {"scan_syslog", scan_syslog, METH_VARARGS, scan_syslog_doc},
    {"scan_layout", scan_layout, METH_VARARGS, scan_layout_doc},
    {"int64_capsules", int64_capsules, METH_VARARGS, int64_capsules_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_scan", "The columnar engine's hot loops (see _scan.c).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    fill_kinds();
    return PyModule_Create(&module);
}
