/* A test-only docker credential helper for the Windows lane (.ci/windows-lane.sh):
 * speaks the docker-credential-helpers protocol and keeps each server's JSON in a
 * file under %TESTHELPER_STORE%, like the shell-script helper of the Linux tests.
 * Copied to docker-credential-desktop.exe / -wincred.exe by tests/windows.rs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char NOT_FOUND[] = "credentials not found in native keychain";

static size_t read_all(char *buf, size_t cap)
{
    size_t len = 0, n;
    while (len < cap - 1 && (n = fread(buf + len, 1, cap - 1 - len, stdin)) > 0)
        len += n;
    buf[len] = 0;
    return len;
}

/* The file for server URL `url`: every byte but letters and digits becomes '_'. */
static void file_for(char *path, size_t cap, const char *url, size_t url_len)
{
    const char *dir = getenv("TESTHELPER_STORE");
    size_t used = (size_t)snprintf(path, cap, "%s/", dir ? dir : ".");
    for (size_t i = 0; i < url_len && used < cap - 1; i++)
        path[used++] = isalnum((unsigned char)url[i]) ? url[i] : '_';
    path[used] = 0;
}

static void trim(char *text)
{
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        text[--len] = 0;
}

int main(int argc, char **argv)
{
    static char input[65536], path[4096], stored[65536];
    if (argc != 2) {
        fprintf(stderr, "usage: docker-credential-testfile store|get|erase|list\n");
        return 2;
    }
    size_t len = read_all(input, sizeof input);
    if (strcmp(argv[1], "store") == 0) {
        const char *key = "\"ServerURL\":\"";
        char *url = strstr(input, key);
        if (!url) {
            fprintf(stderr, "no ServerURL in the request\n");
            return 1;
        }
        url += strlen(key);
        char *end = strchr(url, '"');
        if (!end)
            return 1;
        file_for(path, sizeof path, url, (size_t)(end - url));
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(input, 1, len, f) != len || fclose(f) != 0) {
            fprintf(stderr, "cannot write the store file\n");
            return 1;
        }
        return 0;
    }
    if (strcmp(argv[1], "get") == 0 || strcmp(argv[1], "erase") == 0) {
        trim(input);
        file_for(path, sizeof path, input, strlen(input));
        FILE *f = fopen(path, "rb");
        if (!f) {
            puts(NOT_FOUND);
            return 1;
        }
        size_t n = fread(stored, 1, sizeof stored - 1, f);
        fclose(f);
        if (argv[1][0] == 'g') {
            fwrite(stored, 1, n, stdout);
            return 0;
        }
        return remove(path) == 0 ? 0 : 1;
    }
    if (strcmp(argv[1], "list") == 0) {
        puts("{}");
        return 0;
    }
    fprintf(stderr, "unknown action %s\n", argv[1]);
    return 2;
}
