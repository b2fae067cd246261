/* Test-only stand-in for Windows' bcryptprimitives.dll under wine 8, which lacks
 * it. Rust's standard library (1.78 and later) imports ProcessPrng from it, so
 * without this DLL next to aseecr.exe the program cannot start under wine.
 * Built by .ci/windows-lane.sh; never shipped. Real Windows has the DLL. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
