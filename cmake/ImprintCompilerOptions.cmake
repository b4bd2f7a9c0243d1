# Options shared by every target of the project: warnings, OpenSSL API level,
# Qt strictness and the optional sanitizer build.
add_library(imprint-options INTERFACE)

target_compile_options(imprint-options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(IMPRINT_WERROR)
    target_compile_options(imprint-options INTERFACE -Werror)
endif()

target_compile_definitions(imprint-options INTERFACE
    OPENSSL_API_COMPAT=30000
    OPENSSL_NO_DEPRECATED
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    IMPRINT_VERSION="${PROJECT_VERSION}")

if(IMPRINT_SANITIZE)
    set(_imprint_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_compile_options(imprint-options INTERFACE ${_imprint_san})
    target_link_options(imprint-options INTERFACE ${_imprint_san})
endif()
