# MQTTSIM_SANITIZE: the whole build (tests included) runs under ASan + UBSan,
# and any UBSan report aborts, so a test run fails instead of printing a note.
if(MQTTSIM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# MQTTSIM_FUZZ: our libraries carry libFuzzer's coverage hooks and the
# sanitizers; only the fuzz targets themselves link the fuzzer's main.
if(MQTTSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MQTTSIM_FUZZ needs clang++ (libFuzzer); use the 'fuzz' preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
